package main

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/loadtest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// BenchmarkDelivery measures the outbox's delivery figures against a
// running "cambista serve" (HTTP interactions, signed as Discord signs
// them) on PostgreSQL, with a fake Discord that enforces Discord's rate
// limits (discordtest.DiscordLimits). docs/scaling.md reports them.
//
//	CAMBISTA_TEST_POSTGRES_URL=… go test -run '^$' -bench Delivery -benchtime 1x ./cmd/cambista/
//
// Sub-benchmarks: Lifecycles/clients=N (N clients each running transfer
// lifecycles back to back for CAMBISTA_LOAD_SECONDS, default 10, against a
// fake that enforces no limits and a REST budget of 1000/s unless
// CAMBISTA_LOAD_LIMITS=on: under Discord's limits a cashier channel takes
// about two calls a second and a bot 50, so back to back lifecycles would
// measure the limits rather than the path from commit to Discord: notice
// latency from each step's interaction to the first REST call about its
// transfer at the fake, p50 and p99; REST calls per lifecycle; lifecycles
// per second), Burst (CAMBISTA_LOAD_BURST transfers per second, default
// 20, for CAMBISTA_LOAD_BURST_SECONDS, default 60, each taken from the
// card that shows it, mostly a queue card's menu, and completed, or only
// created with CAMBISTA_LOAD_BURST_TAKES=off, spread over
// CAMBISTA_LOAD_BURST_CLIENTS clients, default 40: 429s beyond the first
// of each bucket, notices delivered, outbox lag p99, and the lag by event
// logged with CAMBISTA_LOAD_BURST_EVENTS=on and -v), Recovery (kill -9 of the
// process whose worker holds a claim: seconds until another process's
// worker delivers it) and RawCommits (the database's single-row commit
// rate, by 1 and 8 writers, in the same run, for ratios).
func BenchmarkDelivery(b *testing.B) {
	if !storetest.HavePostgres() {
		b.Skip("set " + storetest.PostgresEnv)
	}
	bin := buildBinary(b)
	seconds := envInt("CAMBISTA_LOAD_SECONDS", 10)
	for _, clients := range []int{1, 8} {
		b.Run(fmt.Sprintf("Lifecycles/clients=%d", clients), func(b *testing.B) {
			for b.Loop() {
				l := newLoad(b, bin, clients, os.Getenv("CAMBISTA_LOAD_LIMITS") == "on")
				l.closedLoop(b, clients, time.Duration(seconds)*time.Second)
			}
		})
	}
	b.Run("Burst", func(b *testing.B) {
		for b.Loop() {
			l := newLoad(b, bin, envInt("CAMBISTA_LOAD_BURST_CLIENTS", 40), true)
			l.burst(b, envInt("CAMBISTA_LOAD_BURST", 20), envInt("CAMBISTA_LOAD_BURST_SECONDS", 60), os.Getenv("CAMBISTA_LOAD_BURST_TAKES") != "off")
		}
	})
	b.Run("Recovery", func(b *testing.B) {
		for b.Loop() {
			l := newLoad(b, bin, 1, false)
			l.recovery(b)
		}
	})
	b.Run("RawCommits", func(b *testing.B) {
		s := storetest.Open(b, "postgres", store.Options{})
		for b.Loop() {
			for _, n := range []int{1, 8} {
				b.ReportMetric(rawCommits(b, s, n, 3*time.Second), fmt.Sprintf("commits/s-%d", n))
			}
		}
	})
}

// rawCommits returns the single-row commits per second that n writers
// make in d, each INSERT in its own transaction.
func rawCommits(b *testing.B, s *store.Store, n int, d time.Duration) float64 {
	db := s.DB()
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS bench_raw (id BIGSERIAL PRIMARY KEY, v BIGINT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	var count atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for time.Since(start) < d {
				if _, err := db.Exec(`INSERT INTO bench_raw (v) VALUES (1)`); err != nil {
					b.Error(err)
					return
				}
				count.Add(1)
			}
		})
	}
	wg.Wait()
	return float64(count.Load()) / time.Since(start).Seconds()
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// load is a business on PostgreSQL served by one cambista process, and the
// fake Discord it talks to.
type load struct {
	*loadtest.Stack
	st      *store.Store
	svc     *app.Service
	clients []cambista.UserID
}

// newLoad sets a business up for the clients and starts serve on it.
func newLoad(b *testing.B, bin string, clients int, limits bool) *load {
	b.Helper()
	ctx := context.Background()
	var opts []discordtest.Option
	if limits {
		opts = append(opts, discordtest.WithRateLimits(discordtest.DiscordLimits))
	}
	dsn := storetest.PostgresSchema(b)
	st, biz, err := loadtest.Prepare(ctx, dsn, clients, 1)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		b.Fatal(err)
	}
	l := &load{Stack: &loadtest.Stack{Bin: bin, DSN: dsn, Fake: discordtest.New(b, opts...), Key: priv, Replicas: 1},
		st: st, svc: app.New(st, app.Config{Bootstrap: []cambista.UserID{loadtest.Superuser}}), clients: biz.Clients}
	if !limits {
		// Without Discord's limits, nor the process's budget for them.
		l.Env = []string{"CAMBISTA_DISCORD_REST_BUDGET=1000"}
	}
	if err := l.Start(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(l.Close)
	l.drain(b, time.Minute) // the setup's notices
	return l
}

// drain waits until the outbox is empty.
func (l *load) drain(b *testing.B, limit time.Duration) {
	b.Helper()
	if err := loadtest.Drain(context.Background(), l.st.DB(), limit); err != nil {
		for _, p := range l.Serve {
			p.Cmd.Process.Signal(syscall.SIGQUIT)
			p.Stop()
		}
		b.Fatalf("%v\n%s", err, l.Serve[0].Logs)
	}
}

// closedLoop runs clients lifecycles back to back for d and reports the
// figures.
func (l *load) closedLoop(b *testing.B, clients int, d time.Duration) {
	run := l.Driver().Loop(context.Background(), l.clients[:clients], d, 0)
	if len(run.Failed) > 0 {
		b.Fatal(run.Failed[0])
	}
	l.drain(b, time.Minute)
	lat, err := loadtest.NoticeLatencies(l.Fake, run.Steps)
	if err != nil {
		b.Fatal(err)
	}
	n := float64(run.Lifecycles)
	b.ReportMetric(ms(loadtest.Pct(lat, 50)), "notice-p50-ms")
	b.ReportMetric(ms(loadtest.Pct(lat, 99)), "notice-p99-ms")
	b.ReportMetric(float64(loadtest.RESTCalls(l.Fake, run.Start))/n, "rest-calls/lifecycle")
	b.ReportMetric(run.PerSecond(), "lifecycles/s")
	b.ReportMetric(float64(len(l.Fake.RateLimited())), "429s")
}

// burst starts rate new transfers a second for seconds, each taken by the
// cashier from the card that shows it (a queue card's menu, mostly) and
// completed, or left pending when takes is false, and reports what the
// limits did to delivery.
func (l *load) burst(b *testing.B, rate, seconds int, takes bool) {
	start := time.Now()
	d := l.Driver()
	d.FromCards = true
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	var wg sync.WaitGroup
	for i := range rate * seconds {
		<-tick.C
		c := l.clients[i%len(l.clients)]
		wg.Go(func() {
			var err error
			if takes {
				_, _, err = d.Lifecycle(context.Background(), c, loadtest.Cashier)
			} else {
				_, _, err = d.Create(context.Background(), c)
			}
			if err != nil {
				b.Error(err)
			}
		})
	}
	wg.Wait()
	offered := time.Since(start)
	l.drain(b, 60*time.Minute)
	drained := time.Since(start)
	var lags []time.Duration
	rs, err := l.st.DB().Query(`SELECT delivered_at - created_at FROM outbox WHERE kind = 'notice' AND created_at >= $1`, cambista.Micros(start))
	if err != nil {
		b.Fatal(err)
	}
	for rs.Next() {
		var us int64
		if err := rs.Scan(&us); err != nil {
			b.Fatal(err)
		}
		lags = append(lags, time.Duration(us)*time.Microsecond)
	}
	rs.Close()
	if os.Getenv("CAMBISTA_LOAD_BURST_EVENTS") == "on" {
		ev, err := l.st.DB().Query(`SELECT payload::json->>'event', delivered_at - created_at FROM outbox WHERE kind = 'notice' AND created_at >= $1`, cambista.Micros(start))
		if err != nil {
			b.Fatal(err)
		}
		by := map[string][]time.Duration{}
		for ev.Next() {
			var e string
			var us int64
			if err := ev.Scan(&e, &us); err != nil {
				b.Fatal(err)
			}
			by[e] = append(by[e], time.Duration(us)*time.Microsecond)
		}
		ev.Close()
		for e, ls := range by {
			b.Logf("%s: %d p50 %v p99 %v", e, len(ls), loadtest.Pct(ls, 50), loadtest.Pct(ls, 99))
		}
	}
	per := map[string]int{}
	beyond := 0
	for _, x := range l.Fake.RateLimited() {
		if per[x.Bucket]++; per[x.Bucket] > 1 {
			beyond++
		}
	}
	b.ReportMetric(float64(beyond), "429s-beyond-first")
	b.ReportMetric(float64(len(l.Fake.RateLimited())), "429s")
	b.ReportMetric(float64(len(lags)), "notices")
	b.ReportMetric(loadtest.Pct(lags, 50).Seconds(), "lag-p50-s")
	b.ReportMetric(loadtest.Pct(lags, 99).Seconds(), "lag-p99-s")
	b.ReportMetric(offered.Seconds(), "offered-s")
	b.ReportMetric(drained.Seconds(), "drained-s")
	b.ReportMetric(float64(loadtest.RESTCalls(l.Fake, start))/float64(rate*seconds), "rest-calls/lifecycle")
	b.ReportMetric(float64(len(l.Fake.CallsTo("POST", "/channels/"+loadtest.CashierChannel+"/messages"))), "cashier-posts")
}

// recovery has serve's worker claim a card and hold its creation at the
// fake, starts a worker process, kills serve (SIGKILL) and measures how long
// the worker process takes to deliver the card: the dead process's lease
// must end first. The card is posted once.
func (l *load) recovery(b *testing.B) {
	ctx := context.Background()
	release := l.Fake.Hold("POST", "/channels/"+loadtest.CashierChannel+"/messages")
	defer release()
	client, err := l.svc.Actor(ctx, l.clients[0], "")
	if err != nil {
		b.Fatal(err)
	}
	as := cambista.WithActor(ctx, client)
	q, err := l.svc.Quote(as, "", app.QuoteRequest{Amount: "100", From: "USD", To: "VES", FromCountry: "US"})
	if err == nil {
		_, err = l.svc.CreateTransfer(as, "", app.CreateTransfer{QuoteID: q.ID, Beneficiary: cambista.Beneficiary{
			Name: "María Pérez", Bank: "Banesco", AccountNumber: "0134-0000-1234567890", DocumentID: "V-12345678"}})
	}
	if err != nil {
		b.Fatal(err)
	}
	if err := l.Fake.Wait(ctx, func() bool { return l.Fake.Held() == 1 }); err != nil {
		b.Fatal(err)
	}
	worker, err := l.StartWorker(ctx)
	if err != nil {
		b.Fatal(err)
	}
	posts := func() int { return len(l.Fake.CallsTo("POST", "/channels/"+loadtest.CashierChannel+"/messages")) }
	before := posts()
	release()
	killed := time.Now()
	l.Serve[0].Kill()
	if err := l.Fake.Wait(ctx, func() bool { return posts() > before }); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(time.Since(killed).Seconds(), "recovery-s")
	l.drain(b, time.Minute)
	if n := len(l.Fake.Messages(loadtest.CashierChannel)); n != 1 {
		b.Fatalf("%d cards after the recovery, want 1\n%s", n, worker.Logs)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
