package org.fedklpr.transport.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.fedklpr.api.FedklprException;
import org.fedklpr.transport.grpc.proto.Done;
import org.fedklpr.transport.grpc.proto.Instruction;
import org.fedklpr.transport.grpc.proto.Result;
import org.junit.jupiter.api.Test;

/** A result is taken once, from the session that was given the instruction, while it is awaited. */
class SiteLinkTest {
    private static SiteLink.Exchange exchange(long id, long millis) {
        return new SiteLink.Exchange(Instruction.newBuilder().setId(id)
                .setDeadlineMillis(System.currentTimeMillis() + millis).build(), new byte[0]);
    }

    private static SiteLink.Reply reply() {
        return new SiteLink.Reply(Result.newBuilder().setDone(Done.getDefaultInstance()).build(), new byte[0], 1, 1);
    }

    @Test
    void aResultIsTakenOnceFromTheSessionThatWasGivenTheInstruction() throws Exception {
        SiteLink link = new SiteLink("duke");
        assertThrows(FedklprException.class, () -> link.call(exchange(1, 1000)), "not joined yet");
        String session = link.join();
        SiteLink.Exchange exchange = exchange(2, 5000);
        CompletableFuture<SiteLink.Reply> waiting = CompletableFuture.supplyAsync(() -> link.call(exchange));
        SiteLink.Exchange given = link.take(session, 5000);
        assertSame(exchange, given);
        assertNull(link.started("another-session", 2), "another session cannot answer it");
        assertNull(link.started(session, 99), "nor can anyone answer an instruction never given");
        assertSame(exchange, link.started(session, 2));
        SiteLink.Reply reply = reply();
        assertTrue(link.answered(given, reply));
        assertFalse(link.answered(given, reply()), "a replay is refused");
        assertSame(reply, waiting.get(5, TimeUnit.SECONDS));
        assertNull(link.started(session, 2), "answered: no longer open");
    }

    @Test
    void aLateResultFindsNoOneWaitingAndALostConnectionFailsTheWorkAtOnce() throws Exception {
        SiteLink link = new SiteLink("market");
        String session = link.join();
        SiteLink.Exchange late = exchange(3, 200);
        CompletableFuture<SiteLink.Reply> waiting = CompletableFuture.supplyAsync(() -> link.call(late));
        link.take(session, 5000);
        Throwable timeout = assertThrows(Exception.class, () -> waiting.get(5, TimeUnit.SECONDS)).getCause();
        assertTrue(timeout.getMessage().contains("did not answer within its deadline")
                || timeout.getMessage().contains("did not answer"), timeout.getMessage());
        assertNull(link.started(session, 3), "too late: refused");

        SiteLink.Exchange working = exchange(4, 60_000);
        CompletableFuture<SiteLink.Reply> second = CompletableFuture.supplyAsync(() -> link.call(working));
        link.take(session, 5000);
        long lostAt = System.nanoTime();
        link.lost(session, "its connection closed while it worked on train");
        Throwable lost = assertThrows(Exception.class, () -> second.get(5, TimeUnit.SECONDS)).getCause();
        assertTrue((System.nanoTime() - lostAt) / 1e9 < 1, "noticed at once");
        assertEquals("site market: its connection closed while it worked on train (kind_not_set)", lost.getMessage());
        assertFalse(link.connected());
        assertTrue(assertThrows(FedklprException.class, () -> link.call(exchange(5, 1000))).getMessage()
                .contains("is not connected: its connection closed"));
        link.join();
        assertTrue(link.connected(), "a site that comes back is connected again");
    }
}
