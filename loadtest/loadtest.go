// Package loadtest drives transfer lifecycles through signed HTTP
// interactions, as Discord sends them, against running cambista
// processes, and measures them: lifecycles per second, each interaction's
// latency, and each notice's latency at a fake Discord. "cambista
// loadtest", the delivery benchmark and the replicas test use it.
package loadtest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/shopspring/decimal"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/rules"
	"github.com/cambista/cambista/store"
)

// The business the load runs in: its channels, its first cashier and
// its superuser. Cashiers are users 5000, 5001, …; clients 6000, 6001, …
const (
	CashierChannel = "910000000000000001"
	LogChannel     = "910000000000000002"
	GeneralChannel = "910000000000000003"
	Cashier        = cambista.UserID("5000")
	Superuser      = cambista.UserID("111")
)

// Business is who the load acts as.
type Business struct {
	Clients []cambista.UserID
	// Cashiers each have a batch of their own; client i's transfers are
	// taken by cashier i modulo their number (Driver.Cashiers).
	Cashiers []cambista.UserID
}

// Setup prepares a business for the load in an empty, migrated database:
// USD and VES, a rate, a 3 % commission, the cashier and log channels,
// cashiers each with a batch of capital enough for any run, and the
// clients. svc must name Superuser as its bootstrap superuser.
func Setup(ctx context.Context, svc *app.Service, clients, cashiers int) (*Business, error) {
	var err error
	must := func(_ any, e error) {
		if err == nil {
			err = e
		}
	}
	as := func(id cambista.UserID) context.Context {
		a, e := svc.Actor(ctx, id, "")
		must(nil, e)
		return cambista.WithActor(ctx, a)
	}
	su := as(Superuser)
	for _, c := range []app.AddCurrency{{Code: "USD", Exponent: 2, Name: "US dollar"}, {Code: "VES", Exponent: 2, Name: "Bolívar"}} {
		must(svc.AddCurrency(su, "", c))
	}
	must(svc.AddCountry(su, "", app.AddCountry{Code: "VE", Name: "Venezuela", Currency: "VES"}))
	must(svc.AddCountry(su, "", app.AddCountry{Code: "US", Name: "United States", Currency: "USD"}))
	must(svc.SetRate(su, "", app.SetRate{Base: "USD", Quote: "VES", Value: "40.00"}))
	must(svc.SaveRule(su, "", rules.Rule{Name: "Standard", Priority: 10, Kind: rules.Commission,
		Scope: rules.Scope{FromCurrency: "USD", ToCurrency: "VES"}, Effect: rules.Effect{Percent: decimal.RequireFromString("3")}}))
	must(svc.PublishRules(su, ""))
	must(svc.ConfigureChannel(su, "", app.ChannelSetting{Kind: app.ChannelCashier, ChannelID: CashierChannel}))
	must(svc.ConfigureChannel(su, "", app.ChannelSetting{Kind: app.ChannelLog, ChannelID: LogChannel}))
	b := &Business{}
	for i := range max(cashiers, 1) {
		id := cambista.UserID(strconv.Itoa(5000 + i))
		must(svc.Register(as(id), "", app.Register{DisplayName: "cajero " + string(id), Locale: "es"}))
		must(svc.AssignRole(su, "", app.RoleChange{UserID: id, Role: cambista.RoleCashier}))
		must(svc.OpenBatch(as(id), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "100000000000", CostRate: "41"}))
		b.Cashiers = append(b.Cashiers, id)
	}
	for i := range clients {
		id := cambista.UserID(strconv.Itoa(6000 + i))
		must(svc.Register(as(id), "", app.Register{DisplayName: "cliente " + string(id), Locale: "es"}))
		b.Clients = append(b.Clients, id)
	}
	if err != nil {
		return nil, fmt.Errorf("set the business up: %w", err)
	}
	return b, nil
}

// Driver sends interactions, signed with Key, to URL (a replica's or a
// load balancer's /discord/interactions), built by Fake as Discord builds
// them.
type Driver struct {
	URL  string
	Key  ed25519.PrivateKey
	Fake *discordtest.Server
	// Retries is how many times an interaction that got no answer (the
	// connection failed, or a 502, 503 or 504 from a load balancer) is sent
	// again, a tenth of a second later, with the same ID and token, as
	// Discord retries; 0 sends each once.
	Retries int
	// Client sends the requests; when nil, a client that keeps a
	// connection open for each of up to 64 concurrent clients.
	Client *http.Client
	// Cashiers take the transfers: in Loop, the i-th client's are taken
	// by Cashiers[i % len(Cashiers)]; Cashier alone when empty.
	Cashiers []cambista.UserID
	// FromCards has cashiers take a transfer as a person does, once its
	// card is in the cashier channel: through a queue card's menu, or its
	// own card's Take button. Otherwise the take is sent at once, by the
	// button's custom ID: a closed loop then measures the path from
	// interaction to Discord rather than the wait for cards.
	FromCards bool

	retried atomic.Int64
	cards   cardIndex
}

// pooled is the Driver's default client: http.DefaultClient keeps two idle
// connections to a host, and many clients would open and close the rest.
var pooled = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

// retryPause is how long an interaction that got no answer waits before
// it is sent again.
const retryPause = 100 * time.Millisecond

// Retried counts the interactions sent again so far.
func (d *Driver) Retried() int64 { return d.retried.Load() }

// Interact sends the interaction, signed, and returns the answer's JSON.
func (d *Driver) Interact(ctx context.Context, i *discordgo.Interaction) (map[string]any, error) {
	body, err := json.Marshal(discordtest.Wire(i))
	if err != nil {
		return nil, err
	}
	client := d.Client
	if client == nil {
		client = pooled
	}
	for attempt := 0; ; attempt++ {
		out, status, err := d.send(ctx, client, body)
		lost := err != nil || status == http.StatusBadGateway || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout
		if lost && attempt < d.Retries {
			d.retried.Add(1)
			// A pause before the retry, so that retries span the
			// moments a load balancer takes to come back.
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(retryPause):
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("interaction %s: %w", i.ID, err)
		}
		if status != http.StatusOK {
			return nil, fmt.Errorf("interaction %s: %d %s", i.ID, status, out)
		}
		var r map[string]any
		if err := json.Unmarshal(out, &r); err != nil {
			return nil, fmt.Errorf("interaction %s: %w", i.ID, err)
		}
		return r, nil
	}
}

// send posts the body once, with a fresh timestamp and its signature.
func (d *Driver) send(ctx context.Context, client *http.Client, body []byte) ([]byte, int, error) {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(d.Key, append([]byte(ts), body...))))
	req.Header.Set("X-Signature-Timestamp", ts)
	resp, err := client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return out, resp.StatusCode, err
}

var (
	sendID    = regexp.MustCompile(`"custom_id":"(send:\d+)"`)
	createdID = regexp.MustCompile(`#(\d+)`)
)

// Step is one business step of a lifecycle that notifies: when its
// interaction was sent, and about which transfer.
type Step struct {
	Transfer string
	At       time.Time
}

// Lifecycle runs one transfer's life through signed interactions: the
// client's /send, its confirmation and beneficiary form, then the
// cashier's take and completion. It returns the three steps that notify
// (the transfer made, taken, completed) and each interaction's latency.
func (d *Driver) Lifecycle(ctx context.Context, client, cashier cambista.UserID) ([]Step, []time.Duration, error) {
	var lat []time.Duration
	created, err := d.create(ctx, client, &lat)
	if err != nil {
		return nil, lat, err
	}
	tr := created.Transfer
	take := d.Fake.Click(string(cashier), CashierChannel, "", "take:"+tr)
	if d.FromCards {
		at, err := d.card(ctx, tr)
		if err != nil {
			return nil, lat, err
		}
		take = d.Fake.Click(string(cashier), CashierChannel, at.message, at.customID, at.values...)
	}
	taken := time.Now()
	if _, err := d.timed(ctx, &lat, take); err != nil {
		return nil, lat, err
	}
	if _, err := d.timed(ctx, &lat, d.Fake.Click(string(cashier), CashierChannel, "", "done:"+tr)); err != nil {
		return nil, lat, err
	}
	done := time.Now()
	if _, err := d.timed(ctx, &lat, d.Fake.SubmitModal(string(cashier), CashierChannel, "done:"+tr, map[string]string{"reference": "REF-" + tr})); err != nil {
		return nil, lat, err
	}
	return []Step{created, {tr, taken}, {tr, done}}, lat, nil
}

// Create runs the client's part of a lifecycle alone: the transfer made
// and left pending. It returns that step and each interaction's latency.
func (d *Driver) Create(ctx context.Context, client cambista.UserID) (Step, []time.Duration, error) {
	var lat []time.Duration
	st, err := d.create(ctx, client, &lat)
	return st, lat, err
}

func (d *Driver) create(ctx context.Context, client cambista.UserID, lat *[]time.Duration) (Step, error) {
	raw, err := d.timed(ctx, lat, d.Fake.Command(string(client), GeneralChannel, discordgo.ApplicationCommandInteractionData{Name: "send", Options: []*discordgo.ApplicationCommandInteractionDataOption{
		{Name: "amount", Type: discordgo.ApplicationCommandOptionString, Value: "100"},
		{Name: "from", Type: discordgo.ApplicationCommandOptionString, Value: "USD"},
		{Name: "to", Type: discordgo.ApplicationCommandOptionString, Value: "VES"},
	}}))
	if err != nil {
		return Step{}, err
	}
	m := sendID.FindSubmatch(raw)
	if m == nil {
		return Step{}, fmt.Errorf("/send answered %s", raw)
	}
	confirm := string(m[1])
	if _, err := d.timed(ctx, lat, d.Fake.Click(string(client), GeneralChannel, "", confirm)); err != nil {
		return Step{}, err
	}
	created := time.Now()
	raw, err = d.timed(ctx, lat, d.Fake.SubmitModal(string(client), GeneralChannel, confirm, map[string]string{
		"name": "María Pérez", "bank": "Banesco", "number": "0134-0000-1234567890", "document": "V-12345678"}))
	if err != nil {
		return Step{}, err
	}
	id := createdID.FindSubmatch(raw)
	if id == nil {
		return Step{}, fmt.Errorf("the beneficiary form answered %s", raw)
	}
	return Step{string(id[1]), created}, nil
}

// timed sends the interaction, adds its latency to lat, and returns the
// answer's JSON.
func (d *Driver) timed(ctx context.Context, lat *[]time.Duration, i *discordgo.Interaction) ([]byte, error) {
	start := time.Now()
	r, err := d.Interact(ctx, i)
	*lat = append(*lat, time.Since(start))
	raw, _ := json.Marshal(r)
	return raw, err
}

// Run is what a closed loop did.
type Run struct {
	Start      time.Time
	Elapsed    time.Duration
	Lifecycles int
	// Steps are the steps of the lifecycles that completed.
	Steps []Step
	// Interactions are the latencies of every interaction answered.
	Interactions []time.Duration
	// Failed are the lifecycles an interaction of which failed (after its
	// retries), and their errors.
	Failed []error
}

// Loop runs lifecycles back to back, one client at a time per goroutine,
// for d or until ctx ends. A lifecycle that fails is recorded, and its
// client goes on with the next; the loop ends early once more than
// maxFailed have failed.
func (d *Driver) Loop(ctx context.Context, clients []cambista.UserID, dur time.Duration, maxFailed int) *Run {
	r := &Run{Start: time.Now()}
	ctx, cancel := context.WithTimeout(ctx, dur)
	defer cancel()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, c := range clients {
		cashier := Cashier
		if len(d.Cashiers) > 0 {
			cashier = d.Cashiers[i%len(d.Cashiers)]
		}
		wg.Go(func() {
			for ctx.Err() == nil {
				// A lifecycle begun runs to its end: the deadline stops
				// new ones, not interactions in flight.
				steps, lat, err := d.Lifecycle(context.WithoutCancel(ctx), c, cashier)
				mu.Lock()
				r.Interactions = append(r.Interactions, lat...)
				if err != nil {
					r.Failed = append(r.Failed, err)
					if len(r.Failed) > maxFailed {
						cancel()
					}
				} else {
					r.Lifecycles++
					r.Steps = append(r.Steps, steps...)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	r.Elapsed = time.Since(r.Start)
	return r
}

// PerSecond is the lifecycles completed per second.
func (r *Run) PerSecond() float64 { return float64(r.Lifecycles) / r.Elapsed.Seconds() }

// NoticeLatencies returns, for each step, how long after its interaction
// the fake received the first REST call about its transfer (its card, a
// DM; the log channel's gathered lines aside).
func NoticeLatencies(fake *discordtest.Server, steps []Step) ([]time.Duration, error) {
	calls := CallTimes(fake, time.Time{})
	var lat []time.Duration
	for _, s := range steps {
		ts := calls[s.Transfer]
		i := slices.IndexFunc(ts, func(t time.Time) bool { return !t.Before(s.At) })
		if i < 0 {
			return nil, fmt.Errorf("no REST call about transfer %s after its step", s.Transfer)
		}
		lat = append(lat, ts[i].Sub(s.At))
	}
	return lat, nil
}

var about = regexp.MustCompile(`#(\d+)\b`)

// CallTimes returns, for each transfer, the times of the REST calls about
// it (its card, its DMs, a queue card showing it among others) since
// start.
func CallTimes(fake *discordtest.Server, start time.Time) map[string][]time.Time {
	out := map[string][]time.Time{}
	for _, c := range fake.Calls() {
		if c.Time.Before(start) || c.Method == http.MethodGet || strings.Contains(c.Path, LogChannel) {
			continue
		}
		seen := map[string]bool{}
		for _, m := range about.FindAllSubmatch(c.Body, -1) {
			if tr := string(m[1]); !seen[tr] {
				seen[tr] = true
				out[tr] = append(out[tr], c.Time)
			}
		}
	}
	return out
}

// RESTCalls counts the REST calls the fake received since start.
func RESTCalls(fake *discordtest.Server, start time.Time) int {
	n := 0
	for _, c := range fake.Calls() {
		if !c.Time.Before(start) {
			n++
		}
	}
	return n
}

// Undelivered counts the outbox rows neither delivered nor given up.
func Undelivered(ctx context.Context, db *sql.DB) (int, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND given_up_at IS NULL`).Scan(&n)
	return n, err
}

// Drain waits until the outbox is empty, for at most limit; past it, the
// error lists the first rows still waiting.
func Drain(ctx context.Context, db *sql.DB, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		n, err := Undelivered(ctx, db)
		if err != nil || n == 0 {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d outbox rows undelivered after %v: %s", n, limit, waiting(ctx, db))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// waiting describes the first outbox rows still waiting.
func waiting(ctx context.Context, db *sql.DB) string {
	rs, err := db.QueryContext(ctx, `SELECT id, kind, subject, run_at, claim, attempts, last_error FROM outbox
		WHERE delivered_at IS NULL AND given_up_at IS NULL ORDER BY id LIMIT 10`)
	if err != nil {
		return err.Error()
	}
	defer rs.Close()
	var rows []string
	for rs.Next() {
		var id, runAt, attempts int64
		var kind, subject, claim, lastErr string
		if err := rs.Scan(&id, &kind, &subject, &runAt, &claim, &attempts, &lastErr); err != nil {
			return err.Error()
		}
		rows = append(rows, fmt.Sprint(id, kind, subject, time.Until(cambista.FromMicros(runAt)), claim, attempts, lastErr))
	}
	return strings.Join(rows, "; ")
}

// Pct is the p-th percentile of d (0 when empty).
func Pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[(len(s)-1)*p/100]
}

// Prepare opens the database at dsn, brings its schema up to date and sets
// the business up (Setup). The caller closes the store.
func Prepare(ctx context.Context, dsn string, clients, cashiers int) (*store.Store, *Business, error) {
	st, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return nil, nil, err
	}
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, nil, err
	}
	b, err := Setup(ctx, app.New(st, app.Config{Bootstrap: []cambista.UserID{Superuser}}), clients, cashiers)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, b, nil
}
