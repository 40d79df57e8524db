package io.coedit.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.coedit.document.DocumentId;
import io.coedit.security.CoeditUser;

/** Who is in a document now, across instances: one entry per user, however many sessions they have open. */
@RestController
class MemberController {

    /**
     * @param color the colour the editor shows the user in
     * @param since when the user's earliest open session joined
     * @param sessions how many sessions the user has open on the document
     */
    record MemberView(String userId, String name, String color, Instant since, int sessions) {}

    record MembersView(String id, List<MemberView> members) {}

    private final DocumentMembers members;

    MemberController(DocumentMembers members) {
        this.members = members;
    }

    @GetMapping("/api/documents/{id}/members")
    MembersView members(@PathVariable String id, Authentication authentication) {
        DocumentId documentId = new DocumentId(id);
        CoeditUser user = CoeditUser.from(authentication);
        if (user == null || !user.canRead(documentId.value())) {
            throw new AccessDeniedException("The token does not allow reading this document");
        }
        Map<String, MemberView> byUser = new LinkedHashMap<>();
        for (DocumentMembers.Present present : members.present(documentId)) {
            MemberView one = new MemberView(
                    present.userId(), present.name(), UserColors.of(present.userId()), present.since(), 1);
            byUser.merge(
                    present.userId(),
                    one,
                    (a, b) -> new MemberView(
                            a.userId(),
                            a.name(),
                            a.color(),
                            a.since().isBefore(b.since()) ? a.since() : b.since(),
                            a.sessions() + b.sessions()));
        }
        List<MemberView> list = new ArrayList<>(byUser.values());
        list.sort(Comparator.comparing(MemberView::since).thenComparing(MemberView::userId));
        return new MembersView(documentId.value(), list);
    }
}
