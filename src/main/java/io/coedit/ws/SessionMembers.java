package io.coedit.ws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import io.coedit.document.DocumentId;
import io.coedit.document.DocumentRelay;
import io.coedit.document.PresenceUpdate;
import io.coedit.events.DocumentMembers;
import io.coedit.events.EventsUnavailableException;

/** Who is in a document: the sessions of this instance's room, and those other instances announced. */
@Component
class SessionMembers implements DocumentMembers {

    private final RoomRegistry rooms;
    private final DocumentRelay relay;

    SessionMembers(RoomRegistry rooms, DocumentRelay relay) {
        this.rooms = rooms;
        this.relay = relay;
    }

    @Override
    public List<Present> present(DocumentId id) {
        List<Present> present = new ArrayList<>();
        for (CollabSession session : rooms.localSessions(id)) {
            present.add(new Present(session.user().id(), session.user().name(), session.since()));
        }
        List<PresenceUpdate> remote;
        try {
            remote = relay.remoteMembers(id);
        } catch (RuntimeException ex) {
            throw new EventsUnavailableException("Redis did not answer with the other instances' members", ex);
        }
        for (PresenceUpdate member : remote) {
            present.add(new Present(member.userId(), member.userName(), Instant.ofEpochMilli(member.since())));
        }
        return present;
    }
}
