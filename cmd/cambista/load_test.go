package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/shopspring/decimal"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/rules"
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
// 20, for CAMBISTA_LOAD_BURST_SECONDS, default 60: 429s beyond the first of
// each bucket, notices delivered, outbox lag p99), Recovery (kill -9 of the
// process whose worker holds a claim: seconds until another process's
// worker delivers it) and RawCommits (the database's single-row commit
// rate, by 1 and 8 writers, in the same run, for ratios).
func BenchmarkDelivery(b *testing.B) {
	if !storetest.HavePostgres() {
		b.Skip("set " + storetest.PostgresEnv)
	}
	bin := filepath.Join(b.TempDir(), "cambista")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
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
			l := newLoad(b, bin, 40, true)
			l.burst(b, envInt("CAMBISTA_LOAD_BURST", 20), envInt("CAMBISTA_LOAD_BURST_SECONDS", 60))
		}
	})
	b.Run("Recovery", func(b *testing.B) {
		for b.Loop() {
			l := newLoad(b, bin, 1, false)
			l.recovery(b, bin)
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

const (
	loadCashierChannel = "910000000000000001"
	loadLogChannel     = "910000000000000002"
	loadGeneralChannel = "910000000000000003"
	loadCashier        = cambista.UserID("5000")
)

// load is a business on PostgreSQL served by a cambista process, and the
// fake Discord it talks to.
type load struct {
	fake    *discordtest.Server
	dsn     string
	st      *store.Store
	svc     *app.Service
	proc    *binary
	url     string
	priv    ed25519.PrivateKey
	env     []string
	clients []cambista.UserID
}

var listening = regexp.MustCompile(`"addr":"(http://[^"]+)"`)

// newLoad sets a business up for the clients and starts serve on it.
func newLoad(b *testing.B, bin string, clients int, limits bool) *load {
	b.Helper()
	ctx := context.Background()
	var opts []discordtest.Option
	if limits {
		opts = append(opts, discordtest.WithRateLimits(discordtest.DiscordLimits))
	}
	l := &load{fake: discordtest.New(b, opts...), dsn: storetest.PostgresSchema(b)}
	var err error
	if l.st, err = store.Open(ctx, l.dsn, store.Options{}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.st.Close() })
	if _, err := l.st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	l.svc = app.New(l.st, app.Config{Bootstrap: []cambista.UserID{superuser}})
	must := func(_ any, err error) {
		b.Helper()
		if err != nil {
			b.Fatal(err)
		}
	}
	as := func(id cambista.UserID) context.Context {
		a, err := l.svc.Actor(ctx, id, "")
		if err != nil {
			b.Fatal(err)
		}
		return cambista.WithActor(ctx, a)
	}
	su := as(superuser)
	for _, c := range []app.AddCurrency{{Code: "USD", Exponent: 2, Name: "US dollar"}, {Code: "VES", Exponent: 2, Name: "Bolívar"}} {
		must(l.svc.AddCurrency(su, "", c))
	}
	must(l.svc.AddCountry(su, "", app.AddCountry{Code: "VE", Name: "Venezuela", Currency: "VES"}))
	must(l.svc.AddCountry(su, "", app.AddCountry{Code: "US", Name: "United States", Currency: "USD"}))
	must(l.svc.SetRate(su, "", app.SetRate{Base: "USD", Quote: "VES", Value: "40.00"}))
	must(l.svc.SaveRule(su, "", rules.Rule{Name: "Standard", Priority: 10, Kind: rules.Commission,
		Scope: rules.Scope{FromCurrency: "USD", ToCurrency: "VES"}, Effect: rules.Effect{Percent: decimal.RequireFromString("3")}}))
	must(l.svc.PublishRules(su, ""))
	must(l.svc.ConfigureChannel(su, "", app.ChannelSetting{Kind: app.ChannelCashier, ChannelID: loadCashierChannel}))
	must(l.svc.ConfigureChannel(su, "", app.ChannelSetting{Kind: app.ChannelLog, ChannelID: loadLogChannel}))
	must(l.svc.Register(as(loadCashier), "", app.Register{DisplayName: "cajero", Locale: "es"}))
	must(l.svc.AssignRole(su, "", app.RoleChange{UserID: loadCashier, Role: cambista.RoleCashier}))
	must(l.svc.OpenBatch(as(loadCashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "100000000000", CostRate: "41"}))
	for i := range clients {
		id := cambista.UserID(strconv.Itoa(6000 + i))
		must(l.svc.Register(as(id), "", app.Register{DisplayName: "cliente " + string(id), Locale: "es"}))
		l.clients = append(l.clients, id)
	}
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		b.Fatal(err)
	}
	l.priv = priv
	l.env = []string{
		"CAMBISTA_DB=" + l.dsn,
		"CAMBISTA_HTTP_ADDR=127.0.0.1:0",
		"CAMBISTA_LOG_LEVEL=info",
		"CAMBISTA_BOOTSTRAP_SUPERUSER=" + string(superuser),
		"CAMBISTA_DISCORD_TOKEN=" + discordtest.Token,
		"CAMBISTA_DISCORD_APP_ID=" + discordtest.AppID,
		"CAMBISTA_DISCORD_GUILD_ID=" + discordtest.GuildID,
		"CAMBISTA_DISCORD_API_URL=" + l.fake.APIURL(),
		"CAMBISTA_DISCORD_MODE=http",
		"CAMBISTA_DISCORD_PUBLIC_KEY=" + hex.EncodeToString(pub),
	}
	if !limits {
		// Without Discord's limits, nor the process's budget for them.
		l.env = append(l.env, "CAMBISTA_DISCORD_REST_BUDGET=1000")
	}
	l.proc = startBinary(ctx, b, bin, l.env)
	m := listening.FindStringSubmatch(l.proc.logs.String())
	if m == nil {
		b.Fatalf("no address in the log\n%s", l.proc.logs)
	}
	l.url = m[1] + "/discord/interactions"
	l.drain(b, time.Minute) // the setup's notices
	return l
}

// interact sends the interaction signed and returns the answer.
func (l *load) interact(b *testing.B, i *discordgo.Interaction) map[string]any {
	body, err := json.Marshal(discordtest.Wire(i))
	if err != nil {
		b.Fatal(err)
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequest(http.MethodPost, l.url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(l.priv, append([]byte(ts), body...))))
	req.Header.Set("X-Signature-Timestamp", ts)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("interaction: %d %s", resp.StatusCode, out)
	}
	var r map[string]any
	if err := json.Unmarshal(out, &r); err != nil {
		b.Fatal(err)
	}
	return r
}

var (
	sendID    = regexp.MustCompile(`"custom_id":"(send:\d+)"`)
	createdID = regexp.MustCompile(`#(\d+)`)
)

// step is one business step of a lifecycle: when its interaction was
// sent, and about which transfer.
type step struct {
	transfer string
	at       time.Time
}

// lifecycle runs one transfer's life through signed interactions: the
// client's /send, its confirmation and beneficiary form, then the cashier's
// take and completion. It returns the three steps that notify.
func (l *load) lifecycle(b *testing.B, client cambista.UserID) []step {
	r := l.interact(b, l.fake.Command(string(client), loadGeneralChannel, discordgo.ApplicationCommandInteractionData{Name: "send", Options: []*discordgo.ApplicationCommandInteractionDataOption{
		{Name: "amount", Type: discordgo.ApplicationCommandOptionString, Value: "100"},
		{Name: "from", Type: discordgo.ApplicationCommandOptionString, Value: "USD"},
		{Name: "to", Type: discordgo.ApplicationCommandOptionString, Value: "VES"},
	}}))
	raw, _ := json.Marshal(r)
	m := sendID.FindSubmatch(raw)
	if m == nil {
		b.Fatalf("/send answered %s", raw)
	}
	confirm := string(m[1])
	l.interact(b, l.fake.Click(string(client), loadGeneralChannel, "", confirm))
	created := time.Now()
	r = l.interact(b, l.fake.SubmitModal(string(client), loadGeneralChannel, confirm, map[string]string{
		"name": "María Pérez", "bank": "Banesco", "number": "0134-0000-1234567890", "document": "V-12345678"}))
	raw, _ = json.Marshal(r)
	id := createdID.FindSubmatch(raw)
	if id == nil {
		b.Fatalf("the form answered %s", raw)
	}
	tr := string(id[1])
	taken := time.Now()
	l.interact(b, l.fake.Click(string(loadCashier), loadCashierChannel, "", "take:"+tr))
	l.interact(b, l.fake.Click(string(loadCashier), loadCashierChannel, "", "done:"+tr))
	done := time.Now()
	l.interact(b, l.fake.SubmitModal(string(loadCashier), loadCashierChannel, "done:"+tr, map[string]string{"reference": "REF-" + tr}))
	return []step{{tr, created}, {tr, taken}, {tr, done}}
}

// drain waits until the outbox is empty.
func (l *load) drain(b *testing.B, limit time.Duration) {
	b.Helper()
	deadline := time.Now().Add(limit)
	for {
		var n int
		if err := l.st.DB().QueryRow(`SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND given_up_at IS NULL`).Scan(&n); err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			var rows []string
			rs, err := l.st.DB().Query(`SELECT id, kind, subject, run_at, claim, attempts, last_error FROM outbox WHERE delivered_at IS NULL AND given_up_at IS NULL ORDER BY id LIMIT 10`)
			if err == nil {
				for rs.Next() {
					var id, runAt, attempts int64
					var kind, subject, claim, lastErr string
					rs.Scan(&id, &kind, &subject, &runAt, &claim, &attempts, &lastErr)
					rows = append(rows, fmt.Sprintln(id, kind, subject, time.Until(cambista.FromMicros(runAt)), claim, attempts, lastErr))
				}
				rs.Close()
			}
			l.proc.cmd.Process.Signal(syscall.SIGQUIT)
			l.proc.cmd.Wait()
			b.Fatalf("%d outbox rows undelivered after %v: %v\n%s", n, limit, rows, l.proc.logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// callTimes returns, for each transfer, the times of the REST calls about
// it (its card, its DMs) since start.
func (l *load) callTimes(start time.Time) map[string][]time.Time {
	about := regexp.MustCompile(`#(\d+)\b`)
	out := map[string][]time.Time{}
	for _, c := range l.fake.Calls() {
		if c.Time.Before(start) || c.Method == http.MethodGet || strings.Contains(c.Path, loadLogChannel) {
			continue
		}
		if m := about.FindSubmatch(c.Body); m != nil {
			out[string(m[1])] = append(out[string(m[1])], c.Time)
		}
	}
	return out
}

// restCalls counts the REST calls the fake received since start.
func (l *load) restCalls(start time.Time) int {
	n := 0
	for _, c := range l.fake.Calls() {
		if !c.Time.Before(start) {
			n++
		}
	}
	return n
}

// closedLoop runs clients lifecycles back to back for d and reports the
// figures.
func (l *load) closedLoop(b *testing.B, clients int, d time.Duration) {
	start := time.Now()
	var mu sync.Mutex
	var steps []step
	var lifecycles atomic.Int64
	var wg sync.WaitGroup
	for _, c := range l.clients[:clients] {
		wg.Go(func() {
			for time.Since(start) < d {
				s := l.lifecycle(b, c)
				lifecycles.Add(1)
				mu.Lock()
				steps = append(steps, s...)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	l.drain(b, time.Minute)
	calls := l.callTimes(start)
	var lat []time.Duration
	for _, s := range steps {
		ts := calls[s.transfer]
		i := slices.IndexFunc(ts, func(t time.Time) bool { return !t.Before(s.at) })
		if i < 0 {
			b.Fatalf("no REST call about transfer %s after its step", s.transfer)
		}
		lat = append(lat, ts[i].Sub(s.at))
	}
	n := float64(lifecycles.Load())
	b.ReportMetric(ms(pct(lat, 50)), "notice-p50-ms")
	b.ReportMetric(ms(pct(lat, 99)), "notice-p99-ms")
	b.ReportMetric(float64(l.restCalls(start))/n, "rest-calls/lifecycle")
	b.ReportMetric(n/elapsed.Seconds(), "lifecycles/s")
	b.ReportMetric(float64(len(l.fake.RateLimited())), "429s")
}

// burst starts rate new transfers a second for seconds, each taken and
// completed by the cashier, and reports what the limits did to delivery.
func (l *load) burst(b *testing.B, rate, seconds int) {
	start := time.Now()
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	var wg sync.WaitGroup
	for i := range rate * seconds {
		<-tick.C
		c := l.clients[i%len(l.clients)]
		wg.Go(func() { l.lifecycle(b, c) })
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
	per := map[string]int{}
	beyond := 0
	for _, x := range l.fake.RateLimited() {
		if per[x.Bucket]++; per[x.Bucket] > 1 {
			beyond++
		}
	}
	b.ReportMetric(float64(beyond), "429s-beyond-first")
	b.ReportMetric(float64(len(l.fake.RateLimited())), "429s")
	b.ReportMetric(float64(len(lags)), "notices")
	b.ReportMetric(pct(lags, 50).Seconds(), "lag-p50-s")
	b.ReportMetric(pct(lags, 99).Seconds(), "lag-p99-s")
	b.ReportMetric(offered.Seconds(), "offered-s")
	b.ReportMetric(drained.Seconds(), "drained-s")
	b.ReportMetric(float64(l.restCalls(start))/float64(rate*seconds), "rest-calls/lifecycle")
}

// recovery has serve's worker claim a card and hold its creation at the
// fake, starts a worker process, kills serve (SIGKILL) and measures how long
// the worker process takes to deliver the card: the dead process's lease
// must end first. The card is posted once.
func (l *load) recovery(b *testing.B, bin string) {
	ctx := context.Background()
	release := l.fake.Hold("POST", "/channels/"+loadCashierChannel+"/messages")
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
	if err := l.fake.Wait(ctx, func() bool { return l.fake.Held() == 1 }); err != nil {
		b.Fatal(err)
	}
	worker := startWorker(ctx, b, bin, l.env)
	posts := func() int { return len(l.fake.CallsTo("POST", "/channels/"+loadCashierChannel+"/messages")) }
	before := posts()
	release()
	killed := time.Now()
	l.proc.cmd.Process.Kill()
	l.proc.cmd.Wait()
	if err := l.fake.Wait(ctx, func() bool { return posts() > before }); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(time.Since(killed).Seconds(), "recovery-s")
	l.drain(b, time.Minute)
	if n := len(l.fake.Messages(loadCashierChannel)); n != 1 {
		b.Fatalf("%d cards after the recovery, want 1\n%s", n, worker.logs)
	}
}

// startWorker starts "cambista worker" and waits until it delivers.
func startWorker(ctx context.Context, tb testing.TB, bin string, env []string) *binary {
	tb.Helper()
	w := &binary{cmd: exec.Command(bin, "worker"), logs: &syncBuffer{}}
	w.cmd.Env = env
	w.cmd.Stderr = w.logs
	if err := w.cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if w.cmd.ProcessState == nil {
			w.cmd.Process.Kill()
			w.cmd.Wait()
		}
	})
	if err := w.logs.WaitFor(ctx, `"msg":"delivering the outbox"`); err != nil {
		tb.Fatalf("%v\n%s", err, w.logs)
	}
	return w
}

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[(len(s)-1)*p/100]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
