package jobs_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/jobs"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestDisputeThreadOnce: a worker that dies after Discord started a
// dispute's thread and before it recorded so leaves the row to another
// worker; the retry finds the thread (Discord starts one per message, with
// the message's ID) and its first line (by its nonce): one card, one
// thread, one line that calls the cashier in.
func TestDisputeThreadOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, jobs.Config{})
		tr := e.send(client, "100")
		e.take(tr.ID)
		e.complete(tr.ID)
		e.drain(5, time.Second)
		d := must(e.svc.OpenDispute(e.as(client), "", app.OpenDispute{TransferID: tr.ID, Reason: "nothing arrived"}))

		release := e.dc.Hold("POST", "/channels/"+adminChannel+"/messages/")
		dead := jobs.New(e.svc, e.dg, jobs.Config{GuildID: discordtest.GuildID, PollInterval: time.Hour, Now: e.clock.Now}, nil, nil)
		stop := runWorker(t, dead)
		e.waitFor("the thread's start in flight", func() bool { return e.dc.Held() == 1 })
		if got := len(e.dc.Threads(adminChannel)); got != 1 {
			t.Fatalf("%d threads while the answer is held, want 1: the start took effect", got)
		}
		stop() // dies before it can record the thread
		release()
		if e.pending() == 0 {
			t.Fatal("the dead worker recorded its delivery")
		}
		e.clock.Advance(4 * time.Second) // past its lease
		e.drain(3, time.Second)

		threads := e.dc.Threads(adminChannel)
		cards := e.dc.Messages(adminChannel)
		if len(threads) != 1 || len(cards) != 1 || threads[0].ID != cards[0].ID {
			t.Fatalf("threads %+v on cards %d: want one thread on the one card", threads, len(cards))
		}
		if !strings.Contains(threads[0].Name, "1") || title(cards[0]) != "Disputa #1" {
			t.Fatalf("thread %q on card %q", threads[0].Name, title(cards[0]))
		}
		if starts := e.succeeded("POST", "/channels/"+adminChannel+"/messages/"+cards[0].ID+"/threads"); len(starts) != 1 {
			t.Fatalf("%d threads started", len(starts))
		}
		lines := e.dc.Messages(threads[0].ID)
		if len(lines) != 1 || !strings.Contains(lines[0].Content, "<@"+string(cashier)+">") ||
			lines[0].AllowedMentions == nil || len(lines[0].AllowedMentions.Users) != 1 {
			t.Fatalf("the thread says %+v", lines)
		}
		dm := e.dc.Messages(e.dc.DMChannel(string(client)))
		if last := dm[len(dm)-1]; !strings.Contains(last.Content, "disputa #1") || d.ID != 1 {
			t.Fatalf("the client's last DM: %q", last.Content)
		}
	})
}
