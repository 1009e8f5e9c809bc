package discord_test

import (
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

func post(t *testing.T, r *http.Request) (int, []byte) {
	t.Helper()
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// TestSignatures: only requests signed with the application's key get in.
func TestSignatures(t *testing.T) {
	s := storetest.Open(t, "sqlite", store.Options{})
	w := newWorld(t, s, "http")
	ping := []byte(`{"id":"1","type":1,"application_id":"` + discordtest.AppID + `","token":"x","version":1}`)
	if code, b := post(t, w.sig.request(t, w.http.URL, ping)); code != 200 || !strings.Contains(string(b), `"type":1`) {
		t.Fatalf("PING: %d %s", code, b)
	}
	unsigned, _ := http.NewRequest(http.MethodPost, w.http.URL, strings.NewReader(string(ping)))
	if code, _ := post(t, unsigned); code != http.StatusUnauthorized {
		t.Fatalf("unsigned: %d", code)
	}
	other := newSigner(t)
	if code, _ := post(t, other.request(t, w.http.URL, ping)); code != http.StatusUnauthorized {
		t.Fatalf("signed with another key: %d", code)
	}
	// A captured signature replayed over another body.
	good := w.sig.request(t, w.http.URL, ping)
	forged, _ := http.NewRequest(http.MethodPost, w.http.URL, strings.NewReader(strings.Replace(string(ping), `"id":"1"`, `"id":"2"`, 1)))
	forged.Header = good.Header.Clone()
	if code, _ := post(t, forged); code != http.StatusUnauthorized {
		t.Fatalf("replayed with another body: %d", code)
	}
	// A signature made long ago.
	old := strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10)
	stale, _ := http.NewRequest(http.MethodPost, w.http.URL, strings.NewReader(string(ping)))
	stale.Header.Set("X-Signature-Timestamp", old)
	stale.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sign(w.sig, old, ping)))
	if code, _ := post(t, stale); code != http.StatusUnauthorized {
		t.Fatalf("an hour-old signature: %d", code)
	}
}

// TestClicksAreCheckedAgain: a forged, stale or foreign custom ID gets a
// clear ephemeral error and changes nothing; a replayed interaction takes
// effect once.
func TestClicksAreCheckedAgain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, "http")
		e := apptest.Business(t, s)
		w.e = e
		for _, u := range []cambista.UserID{apptest.Boot, apptest.Client, apptest.Cashier, apptest.Agent} {
			w.member(u, discordgo.EnglishUS)
		}
		apptest.Must(e.Svc.OpenBatch(e.As(apptest.Cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "4000", CostRate: "41"}))
		tr := e.Send(apptest.Client, "100")
		events := func() int64 { return apptest.Must(app.VerifyAudit(t.Context(), s)) }
		before := events()
		for _, c := range []struct {
			user cambista.UserID
			id   string
			want string
		}{
			{apptest.Cashier, "take:999999", "No transfer 999999"},              // forged entity
			{apptest.Cashier, "burn:1", "no longer valid"},                      // forged action
			{apptest.Client, "take:" + strconv.Itoa(int(tr.ID)), "not allowed"}, // foreign
			{apptest.Cashier, "acc-ok:1", "not allowed"},                        // foreign: a cashier approving
		} {
			r := w.click(c.user, cashierChannel, "", c.id)
			if r.Data == nil || r.Data.Flags&discordgo.MessageFlagsEphemeral == 0 || !strings.Contains(text(r), c.want) {
				t.Fatalf("%s by %s: %+v, want an ephemeral %q", c.id, c.user, r.Data, c.want)
			}
		}
		if events() != before {
			t.Fatal("a refused click changed something")
		}
		// The same interaction delivered twice (Discord retries on a
		// timeout): one effect, the same answer.
		i := w.fake.Click(string(apptest.Cashier), cashierChannel, "", "take:"+strconv.Itoa(int(tr.ID)))
		body, _ := json.Marshal(discordtest.Wire(i))
		c1, b1 := post(t, w.sig.request(t, w.http.URL, body))
		c2, b2 := post(t, w.sig.request(t, w.http.URL, body))
		if c1 != 200 || c2 != 200 || string(b1) != string(b2) {
			t.Fatalf("replay: %d %s / %d %s", c1, b1, c2, b2)
		}
		if got := events() - before; got != 1 {
			t.Fatalf("a replayed take made %d audit events, want 1", got)
		}
		// A stale button: taking again what is taken.
		r := w.click(apptest.Other, cashierChannel, "", "take:"+strconv.Itoa(int(tr.ID)))
		if !strings.Contains(text(r), "taken by another cashier") {
			t.Fatalf("stale take: %s", text(r))
		}
	})
}
