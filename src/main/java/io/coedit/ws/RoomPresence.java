package io.coedit.ws;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.coedit.document.DocumentId;
import io.coedit.document.DocumentRelay;
import io.coedit.document.PresenceUpdate;

/**
 * Who is in one document and where their carets are: a local session's join, leave and cursor told to the others
 * here and, through the relay, to other instances; other instances' sessions told to the local ones. Presence is
 * best effort and unordered with respect to ops. Called under its room's lock.
 */
final class RoomPresence {

    private final DocumentId documentId;
    private final ServerMessages messages;
    private final DocumentRelay relay;
    private final Collection<CollabSession> local;
    private final Map<String, RemoteMember> remote = new LinkedHashMap<>();

    /** Another instance's session as last announced, and its member-list entry once a joiner needed it. */
    private static final class RemoteMember {
        private final PresenceUpdate update;
        private String json;

        RemoteMember(PresenceUpdate update) {
            this.update = update;
        }

        String json(ServerMessages messages) {
            if (json == null) {
                json = messages.member(
                        update.clientId(),
                        new ServerMessages.UserView(update.userId(), update.userName()),
                        update.pos(),
                        update.selStart(),
                        update.selEnd());
            }
            return json;
        }
    }

    /** {@code local}: the room's live view of its sessions. */
    RoomPresence(DocumentId documentId, ServerMessages messages, DocumentRelay relay, Collection<CollabSession> local) {
        this.documentId = documentId;
        this.messages = messages;
        this.relay = relay;
        this.local = local;
    }

    /** Introduces a session that just joined to everyone, and everyone to it. */
    void joined(CollabSession session) {
        TextFrame joined = TextFrame.of(messages.join(session.clientId(), session.userView()));
        for (CollabSession other : local) {
            if (other != session) {
                other.sendSoon(joined);
            }
        }
        session.send(messages.presenceOf(members()));
        relay.publishPresence(documentId, presenceOf(session, PresenceUpdate.Kind.JOIN));
    }

    void left(CollabSession session) {
        TextFrame left = TextFrame.of(messages.leave(session.clientId(), session.userView()));
        local.forEach(other -> other.sendSoon(left));
        relay.publishPresence(documentId, presenceOf(session, PresenceUpdate.Kind.LEAVE));
    }

    void cursor(CollabSession session, int pos, int selStart, int selEnd) {
        session.cursor(pos, selStart, selEnd);
        TextFrame frame = TextFrame.of(messages.cursor(session.clientId(), session.userView(), pos, selStart, selEnd));
        for (CollabSession other : local) {
            if (other != session) {
                other.sendSoon(frame);
            }
        }
        relay.publishPresence(documentId, presenceOf(session, PresenceUpdate.Kind.CURSOR));
    }

    /** Learns the sessions other instances already have in the document, and introduces them to the local ones. */
    void knowRemote(List<PresenceUpdate> members) {
        members.forEach(member -> remote(member.withKind(PresenceUpdate.Kind.JOIN)));
    }

    /** Applies and forwards a presence change of another instance's session. */
    void remote(PresenceUpdate update) {
        var user = new ServerMessages.UserView(update.userId(), update.userName());
        String text;
        if (update.kind() == PresenceUpdate.Kind.LEAVE) {
            if (remote.remove(update.clientId()) == null) {
                return;
            }
            text = messages.leave(update.clientId(), user);
        } else {
            boolean known = remote.put(update.clientId(), new RemoteMember(update)) != null;
            if (update.kind() == PresenceUpdate.Kind.JOIN) {
                if (known) {
                    return;
                }
                text = messages.join(update.clientId(), user);
            } else {
                text = messages.cursor(update.clientId(), user, update.pos(), update.selStart(), update.selEnd());
            }
        }
        TextFrame frame = TextFrame.of(text);
        local.forEach(session -> session.sendSoon(frame));
    }

    /** Everyone in the document, each serialized once while it stays as it is. */
    private List<String> members() {
        List<String> members = new ArrayList<>(local.size() + remote.size());
        for (CollabSession session : local) {
            members.add(session.memberJson(messages));
        }
        for (RemoteMember member : remote.values()) {
            members.add(member.json(messages));
        }
        return members;
    }

    private static PresenceUpdate presenceOf(CollabSession session, PresenceUpdate.Kind kind) {
        int[] cursor = session.cursor();
        return new PresenceUpdate(
                kind,
                session.clientId(),
                session.user().id(),
                session.user().name(),
                cursor == null ? -1 : cursor[0],
                cursor == null ? -1 : cursor[1],
                cursor == null ? -1 : cursor[2],
                session.since().toEpochMilli());
    }
}
