package io.coedit.web;

import java.time.Instant;
import java.util.ArrayList;
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
import io.coedit.error.ErrorCode;
import io.coedit.security.CoeditUser;

/** Read access to documents: the current content, and the retained op log. */
@RestController
@RequestMapping("/api/documents/{id}")
class DocumentController {

    record DocumentView(String id, String epoch, long rev, String content) {}

    record OpView(long rev, List<Object> op, String id, UserView user, Instant timestamp) {}

    record UserView(String id, String name) {}

    /**
     * One page of the op log: the ops after {@code since}, at most {@code limit} of them and about
     * {@link #PAGE_BYTES}; {@code next} is the {@code since} of the following page, null on the last one.
     */
    record OpsView(String id, String epoch, long since, long rev, long head, List<OpView> ops, Long next) {}

    /** Most ops one page holds, and its default size. */
    static final int MAX_PAGE = 1000;

    static final int DEFAULT_PAGE = 100;
    /** A page stops growing once its ops add up to this many bytes (at least one op is always sent). */
    static final long PAGE_BYTES = 1L << 20;

    private final DocumentService documents;

    DocumentController(DocumentService documents) {
        this.documents = documents;
    }

    @GetMapping
    DocumentView document(@PathVariable String id, Authentication authentication) {
        DocumentId documentId = readable(id, authentication);
        DocumentSnapshot snapshot = existing(documentId);
        return new DocumentView(documentId.value(), snapshot.epoch(), snapshot.rev(), snapshot.content());
    }

    @GetMapping("/ops")
    OpsView ops(
            @PathVariable String id,
            @RequestParam(defaultValue = "0") long since,
            @RequestParam(defaultValue = "" + DEFAULT_PAGE) int limit,
            Authentication authentication) {
        DocumentId documentId = readable(id, authentication);
        if (limit < 1 || limit > MAX_PAGE) {
            throw new SubmitRejectedException(ErrorCode.STALE_REVISION, "limit must be between 1 and " + MAX_PAGE);
        }
        DocumentSnapshot head = existing(documentId);
        if (since < 0 || since > head.rev()) {
            throw new SubmitRejectedException(
                    ErrorCode.STALE_REVISION,
                    "since must be between 0 and the document's revision (" + head.rev() + ")");
        }
        List<CommittedOp> ops = documents
                .opsSince(documentId, head.epoch(), since, limit + 1)
                .orElseThrow(() -> new SubmitRejectedException(
                        ErrorCode.RESYNC_REQUIRED,
                        "Revision " + since + " is older than the retained history; read the document instead"));
        List<OpView> page = new ArrayList<>();
        long bytes = 0;
        for (CommittedOp op : ops) {
            if (page.size() == limit || (!page.isEmpty() && bytes + op.sizeInBytes() > PAGE_BYTES)) {
                break;
            }
            page.add(view(op));
            bytes += op.sizeInBytes();
        }
        long last = page.isEmpty() ? since : page.get(page.size() - 1).rev();
        Long next = page.size() < ops.size() ? last : null;
        return new OpsView(documentId.value(), head.epoch(), since, last, head.rev(), page, next);
    }

    private DocumentSnapshot existing(DocumentId id) {
        DocumentSnapshot snapshot = documents.snapshot(id);
        if (snapshot.rev() == 0) {
            throw new DocumentNotFoundException(id.value());
        }
        return snapshot;
    }

    private static OpView view(CommittedOp op) {
        return new OpView(
                op.rev(),
                op.op().toComponents(),
                op.clientOpId(),
                new UserView(op.author().id(), op.author().name()),
                op.timestamp());
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
