package io.coedit.web;

import java.time.Instant;
import java.util.List;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.coedit.document.CommittedOp;
import io.coedit.document.DocumentId;
import io.coedit.document.DocumentService;
import io.coedit.document.DocumentSnapshot;
import io.coedit.document.SubmitRejectedException;
import io.coedit.security.CoeditUser;

/** Read access to documents: the current content, and the retained op log. */
@RestController
@RequestMapping("/api/documents/{id}")
class DocumentController {

    record DocumentView(String id, String epoch, long rev, String content) {
    }

    record OpView(long rev, List<Object> op, String id, UserView user, Instant timestamp) {
    }

    record UserView(String id, String name) {
    }

    record OpsView(String id, String epoch, long since, long rev, List<OpView> ops) {
    }

    private final DocumentService documents;

    DocumentController(DocumentService documents) {
        this.documents = documents;
    }

    @GetMapping
    DocumentView document(@PathVariable String id, Authentication authentication) {
        DocumentId documentId = readable(id, authentication);
        DocumentSnapshot snapshot = documents.snapshot(documentId);
        return new DocumentView(documentId.value(), snapshot.epoch(), snapshot.rev(), snapshot.content());
    }

    @GetMapping("/ops")
    OpsView ops(@PathVariable String id, @RequestParam(defaultValue = "0") long since, Authentication authentication) {
        DocumentId documentId = readable(id, authentication);
        DocumentSnapshot head = documents.snapshot(documentId);
        if (since < 0 || since > head.rev()) {
            throw new SubmitRejectedException(SubmitRejectedException.Reason.STALE_REVISION,
                    "since must be between 0 and the document's revision (" + head.rev() + ")");
        }
        List<CommittedOp> ops = documents.opsSince(documentId, since).orElseThrow(() ->
                new SubmitRejectedException(SubmitRejectedException.Reason.RESYNC_REQUIRED,
                        "Revision " + since + " is older than the retained history; read the document instead"));
        return new OpsView(documentId.value(), head.epoch(), since,
                ops.isEmpty() ? since : ops.get(ops.size() - 1).rev(),
                ops.stream().map(DocumentController::view).toList());
    }

    private static OpView view(CommittedOp op) {
        return new OpView(op.rev(), op.op().toComponents(), op.clientOpId(),
                new UserView(op.author().id(), op.author().name()), op.timestamp());
    }

    private static DocumentId readable(String id, Authentication authentication) {
        DocumentId documentId = new DocumentId(id);
        CoeditUser user = CoeditUser.from(authentication);
        if (user == null || !user.canRead(documentId.value())) {
            throw new AccessDeniedException("The token does not allow reading this document");
        }
        return documentId;
    }
}
