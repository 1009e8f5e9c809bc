package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/jobs"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// runWorker runs w until the test ends or stop is called; stop waits for
// Run to return.
func runWorker(t *testing.T, w *jobs.Worker) (stop func()) {
	ctx, cancel := context.WithCancel(system())
	done := make(chan struct{})
	go func() {
		w.Run(ctx)
		close(done)
	}()
	stop = func() {
		cancel()
		<-done
	}
	t.Cleanup(stop)
	return stop
}

// waitFor fails the test unless cond holds within 30 seconds (Discord's
// limits make a burst wait for its buckets); the fake
// tells of every REST call, and the database is polled meanwhile.
func (e *env) waitFor(what string, cond func() bool) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for !cond() {
		wake, stop := context.WithTimeout(ctx, 20*time.Millisecond)
		e.dc.Wait(wake, cond)
		stop()
		if ctx.Err() != nil {
			e.t.Fatalf("waiting for %s: %v", what, ctx.Err())
		}
	}
}

// TestWakeOnCommit: a commit that writes outbox rows wakes the worker at
// once. It polls once an hour here, so only the wake-up can deliver.
func TestWakeOnCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, jobs.Config{})
		wake, stopWake := st.OutboxWakeups()
		defer stopWake()
		w := jobs.New(e.svc, e.dg, jobs.Config{GuildID: discordtest.GuildID, PollInterval: time.Hour, Wake: wake}, nil, nil)
		runWorker(t, w)
		e.waitFor("the first pass", func() bool { return e.pending() == 0 })
		tr := e.send(client, "100")
		e.waitFor("the card", func() bool { return len(e.dc.Messages(cashierChannel)) == 1 })
		e.take(tr.ID)
		e.waitFor("the DM", func() bool { return len(e.dc.Messages(e.dc.DMChannel(string(client)))) == 1 })
	})
}

// TestCrashBetweenSideEffectAndRecord: a worker that dies after Discord
// created a message and before it recorded so (here: its answer never
// comes back, and the worker is stopped) leaves its rows to another worker
// once its lease ends; the retry carries the same nonce, so Discord
// returns the message already created and nothing is posted twice: neither
// the card, nor the DM, nor a queue card of several transfers (whose
// placeholder, recorded before the creation, gives the retry the same
// transfers and nonce).
func TestCrashBetweenSideEffectAndRecord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, jobs.Config{})
		e.drain(5, time.Second)
		dm := e.dc.DMChannel(string(client))
		var carded *cambista.Transfer
		var queued []*cambista.Transfer
		for _, step := range []struct {
			name, channel string
			act           func()
		}{
			{"card", cashierChannel, func() { carded = e.send(client, "100") }},
			{"DM", dm, func() { e.take(e.send(client, "70").ID) }},
			{"queue card", cashierChannel, func() { queued = []*cambista.Transfer{e.send(client, "60"), e.send(clientEN, "50")} }},
		} {
			t.Run(step.name, func(t *testing.T) {
				step.act()
				before := len(e.dc.Messages(step.channel))
				release := e.dc.Hold("POST", "/channels/"+step.channel+"/messages")
				dead := jobs.New(e.svc, e.dg, jobs.Config{GuildID: discordtest.GuildID, PollInterval: time.Hour, Now: e.clock.Now}, nil, nil)
				stop := runWorker(t, dead)
				e.waitFor("the creation in flight", func() bool { return e.dc.Held() == 1 })
				if got := len(e.dc.Messages(step.channel)); got != before+1 {
					t.Fatalf("%d messages while the answer is held, want %d: the creation took effect", got, before+1)
				}
				stop() // dies before it can record the message
				release()
				if e.pending() == 0 {
					t.Fatal("the dead worker recorded its delivery")
				}
				e.clock.Advance(4 * time.Second) // past its lease
				e.drain(3, time.Second)
				if got := len(e.dc.Messages(step.channel)); got != before+1 {
					t.Fatalf("%d messages after the retry, want %d: the %s was posted twice", got, before+1, step.name)
				}
				posts := e.succeeded("POST", "/channels/"+step.channel+"/messages")
				if len(posts) < 2 || nonceOf(posts[len(posts)-1]) != nonceOf(posts[len(posts)-2]) || nonceOf(posts[len(posts)-1]) == "" {
					t.Fatalf("the retry's nonce differs from the creation's: %q", []string{nonceOf(posts[len(posts)-2]), nonceOf(posts[len(posts)-1])})
				}
			})
		}
		want := firstTitled(e.dc.Messages(cashierChannel), fmt.Sprintf("Transferencia #%d", carded.ID))
		if ref := must(e.svc.MessageRef(system(), "transfer", carded.ID, cashierChannel)); ref == "" || ref != want.ID {
			t.Fatalf("message ref %q, want the card posted %q", ref, want.ID)
		}
		queue := firstTitled(e.dc.Messages(cashierChannel), "Transferencias en espera")
		for _, tr := range queued {
			if ref := must(e.svc.MessageRef(system(), "transfer", tr.ID, cashierChannel)); ref == "" || ref != queue.ID {
				t.Fatalf("transfer %d's message ref %q, want the queue card posted %q", tr.ID, ref, queue.ID)
			}
		}
	})
}

func firstTitled(ms []discordtest.Message, want string) discordtest.Message {
	for _, m := range ms {
		if title(m) == want {
			return m
		}
	}
	return discordtest.Message{}
}

// nonceOf returns the enforced nonce a creation carried.
func nonceOf(c discordtest.Call) string {
	var in struct {
		Nonce   string `json:"nonce"`
		Enforce bool   `json:"enforce_nonce"`
	}
	if json.Unmarshal(c.Body, &in) != nil || !in.Enforce {
		return ""
	}
	return in.Nonce
}

// TestLeaseRenewed: a delivery that outlasts the lease keeps its rows: the
// worker renews the lease while it runs, so another worker claims nothing.
func TestLeaseRenewed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, jobs.Config{})
		e.drain(5, time.Second)
		e.send(client, "100")
		runAt := func() int64 {
			var at int64
			if err := st.DB().QueryRow(`SELECT run_at FROM outbox WHERE delivered_at IS NULL`).Scan(&at); err != nil {
				t.Fatal(err)
			}
			return at
		}
		release := e.dc.Hold("POST", "/channels/"+cashierChannel+"/messages")
		slow := jobs.New(e.svc, e.dg, jobs.Config{GuildID: discordtest.GuildID, PollInterval: time.Hour}, nil, nil)
		runWorker(t, slow)
		e.waitFor("the creation in flight", func() bool { return e.dc.Held() == 1 })
		claimed := runAt()
		e.waitFor("a renewal", func() bool { return runAt() > claimed })
		other := jobs.New(e.svc, e.dg, jobs.Config{GuildID: discordtest.GuildID}, nil, nil)
		if n := must(other.RunOnce(system())); n != 0 {
			t.Fatalf("another worker took %d rows of a renewed claim", n)
		}
		release()
		e.waitFor("the delivery", func() bool { return e.pending() == 0 })
		if n := len(e.dc.Messages(cashierChannel)); n != 1 {
			t.Fatalf("%d cards, want 1", n)
		}
	})
}

// TestDeadWorkerRowsTakenOver: when the worker holding rows dies (stops
// renewing), a running worker delivers them once the short lease ends,
// without waiting for a poll longer than that.
func TestDeadWorkerRowsTakenOver(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, jobs.Config{})
		e.drain(5, time.Second)
		e.send(client, "100")
		release := e.dc.Hold("POST", "/channels/"+cashierChannel+"/messages")
		dead := jobs.New(e.svc, e.dg, jobs.Config{GuildID: discordtest.GuildID, PollInterval: time.Hour}, nil, nil)
		stop := runWorker(t, dead)
		e.waitFor("the creation in flight", func() bool { return e.dc.Held() == 1 })
		stop()
		release()
		runWorker(t, jobs.New(e.svc, e.dg, jobs.Config{GuildID: discordtest.GuildID}, nil, nil))
		e.waitFor("the dead worker's row delivered by the other", func() bool { return e.pending() == 0 })
		if n := len(e.dc.Messages(cashierChannel)); n != 1 {
			t.Fatalf("%d cards, want 1", n)
		}
	})
}

// TestCoalesce: notices of one card waiting together cost one creation
// showing the latest state, no edit; each still sends its DM, and a user's
// DM channel is opened once.
func TestCoalesce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, jobs.Config{})
		e.drain(5, time.Second)
		opened := len(e.succeeded("POST", "/users/@me/channels"))
		tr := e.send(client, "100")
		e.take(tr.ID)
		e.complete(tr.ID)
		e.drain(1, time.Second)
		cards := e.dc.Messages(cashierChannel)
		if len(cards) != 1 || field(cards[0], "Estado") != "completada" {
			t.Fatalf("%d cards, want one, completed", len(cards))
		}
		if n := len(e.succeeded("PATCH", "/channels/"+cashierChannel+"/messages/")); n != 0 {
			t.Fatalf("%d edits of a card created in its final state", n)
		}
		dms := e.dc.Messages(e.dc.DMChannel(string(client)))
		if len(dms) != 2 || !strings.Contains(dms[0].Content, "tomó") || !strings.Contains(dms[1].Content, "completada") {
			t.Fatalf("client DMs: %d, want taken then completed", len(dms))
		}
		tr2 := e.send(client, "50")
		e.take(tr2.ID)
		e.drain(1, time.Second)
		if n := len(e.succeeded("POST", "/users/@me/channels")) - opened; n != 1 {
			t.Fatalf("the client's DM channel was opened %d times for 3 DMs, want 1", n)
		}
		calls := len(e.dc.Calls())
		e.complete(tr2.ID)
		e.drain(1, time.Second)
		if n := len(e.dc.Calls()) - calls; n != 2 {
			t.Fatalf("a completion cost %d REST calls, want 2 (the edit, the DM)", n)
		}
	})
}

// TestSeveralWorkers: workers sharing the outbox deliver every notice once
// and keep each card's order: posted once, then edited forward, never
// back; they wait for Discord's buckets rather than meet 429s. (Claims across processes: TestOutboxConcurrentClaims in store.)
func TestSeveralWorkers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, jobs.Config{})
		e.drain(5, time.Second)
		for range 3 {
			wake, stop := st.OutboxWakeups()
			t.Cleanup(stop)
			runWorker(t, jobs.New(e.svc, e.dg, jobs.Config{GuildID: discordtest.GuildID, Wake: wake}, nil, nil))
		}
		var ids []cambista.ID
		for i := range 8 {
			tr := e.send(client, fmt.Sprint(10+i))
			ids = append(ids, tr.ID)
			e.take(tr.ID)
			e.complete(tr.ID)
		}
		e.waitFor("every notice", func() bool { return e.pending() == 0 })
		rank := map[string]int{"pendiente": 0, "tomada": 1, "completada": 2}
		for _, id := range ids {
			name := fmt.Sprintf("Transferencia #%d", id)
			if card, st := shown(e.dc.Messages(cashierChannel), id); card.ID == "" || st != "completada" {
				t.Fatalf("%s: card %q in state %q, want completed", name, card.ID, st)
			}
			posts, last := 0, -1
			for _, c := range e.succeeded("", "/channels/"+cashierChannel+"/messages") {
				state, titled := cardState(c, name)
				if !titled {
					continue
				}
				if c.Method == "POST" {
					posts++
				}
				if rank[state] < last {
					t.Fatalf("%s went back from rank %d to %q", name, last, state)
				}
				last = rank[state]
			}
			if posts != 1 {
				t.Fatalf("%s posted %d times, want once", name, posts)
			}
		}
		if n := len(e.dc.Messages(e.dc.DMChannel(string(client)))); n != 2*len(ids) {
			t.Fatalf("%d DMs, want %d", n, 2*len(ids))
		}
		// The cashier channel's buckets were spent, and waited for.
		per := map[string]int{}
		for _, l := range e.dc.RateLimited() {
			if per[l.Bucket]++; per[l.Bucket] > 1 {
				t.Fatalf("429s beyond the first in bucket %s: %v", l.Bucket, e.dc.RateLimited())
			}
		}
	})
}

// cardState returns the state a card call showed, if it is the named card
// or a queue card with its line.
func cardState(c discordtest.Call, name string) (string, bool) {
	var in struct {
		Embeds []struct {
			Title  string `json:"title"`
			Fields []struct {
				Name  string `json:"name"`
				Value string `json:"value"`
			} `json:"fields"`
		} `json:"embeds"`
	}
	if json.Unmarshal(c.Body, &in) != nil || len(in.Embeds) == 0 {
		return "", false
	}
	own := in.Embeds[0].Title == name
	for _, f := range in.Embeds[0].Fields {
		switch {
		case own && f.Name == "Estado":
			return f.Value, true
		case strings.HasPrefix(f.Name, name+" · "):
			return lineState(f.Value), true // a queue card's line
		}
	}
	return "", own
}

// TestDMNotHeldByCard: while the card's channel has no edits left, a
// notice's DM goes at once and its card waits without holding the worker;
// the card edits that wait together become one, made once the channel's
// bucket refills, showing the final state.
func TestDMNotHeldByCard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st, jobs.Config{})
		tr := e.send(client, "100")
		e.drain(5, time.Second)
		card, _ := shown(e.dc.Messages(cashierChannel), tr.ID)
		// Spend the channel's edits (5 per 5 s) on the session the worker
		// uses, as other cards' edits would.
		for range 5 {
			if _, err := e.dg.ChannelMessageEdit(cashierChannel, card.ID, "…"); err != nil {
				t.Fatal(err)
			}
		}
		spent := time.Now()
		edits := func() []discordtest.Call { return e.succeeded("PATCH", "/channels/"+cashierChannel+"/messages/")[5:] }
		wake, stop := st.OutboxWakeups()
		t.Cleanup(stop)
		runWorker(t, jobs.New(e.svc, e.dg, jobs.Config{GuildID: discordtest.GuildID, Wake: wake}, nil, nil))
		dms := func() []discordtest.Message { return e.dc.Messages(e.dc.DMChannel(string(client))) }
		e.take(tr.ID)
		e.waitFor("the DM of the take", func() bool { return len(dms()) == 1 })
		if n := len(edits()); n != 0 {
			t.Fatalf("the card was edited before the take's DM was sent")
		}
		e.complete(tr.ID)
		e.waitFor("every notice", func() bool { return e.pending() == 0 })
		if len(dms()) != 2 {
			t.Fatalf("%d DMs, want 2", len(dms()))
		}
		if got := edits(); len(got) != 1 || got[0].Time.Sub(spent) < 4*time.Second {
			t.Fatalf("%d edits of the card after the bucket was spent, want one after it refilled", len(got))
		}
		if _, state := shown(e.dc.Messages(cashierChannel), tr.ID); state != "completada" {
			t.Fatalf("the card shows %q, want completed", state)
		}
		if n := len(e.dc.RateLimited()); n != 0 {
			t.Fatalf("%d 429s: the worker did not wait for the bucket", n)
		}
	})
}
