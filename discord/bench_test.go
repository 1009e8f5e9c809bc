package discord_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/discord"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
	"github.com/cambista/cambista/web"
	"github.com/prometheus/client_golang/prometheus"
)

// BenchmarkHTTPInteractions (P2) offers signed button clicks that commit a
// business step (a cashier taking a transfer) at a fixed 200 per second,
// and reports their latency percentiles beside those of a trivial endpoint
// (/healthz) of the same server measured in the same run at the same rate.
//
//	CAMBISTA_TEST_POSTGRES_URL=… go test -run '^$' -bench HTTPInteractions -benchtime 1x ./discord/
//
// Each b.N iteration is a 5-second run of 1,000 requests per endpoint.
func BenchmarkHTTPInteractions(b *testing.B) {
	const rate, seconds = 200, 5
	for _, d := range storetest.Dialects {
		b.Run(d, func(b *testing.B) {
			s := storetest.Open(b, d, store.Options{})
			e := apptest.Business(b, s)
			sig := newSigner(b)
			fake := discordtest.New(b)
			bot := discord.New(e.Svc, nil, discord.Config{AppID: discordtest.AppID, GuildID: discordtest.GuildID}, nil)
			srv := web.NewServer(s, prometheus.NewRegistry(), nil)
			srv.Handle("POST /discord/interactions", bot.HTTPHandler(sig.pub))
			ts := httptest.NewServer(srv.Handler())
			defer ts.Close()
			apptest.Must(e.Svc.OpenBatch(e.As(apptest.Cashier), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "1000000000", CostRate: "41"}))
			n := rate * seconds
			for b.Loop() {
				b.StopTimer()
				clicks := make([][]byte, n)
				for i := range clicks {
					t := e.Send(apptest.Client, "10")
					clicks[i] = apptest.Must(json.Marshal(discordtest.Wire(fake.Click(string(apptest.Cashier), cashierChannel, "", fmt.Sprintf("take:%d", t.ID)))))
				}
				b.StartTimer()
				step := openLoop(b, rate, n, func(i int) *http.Request { return sig.request(b, ts.URL+"/discord/interactions", clicks[i]) })
				trivial := openLoop(b, rate, n, func(int) *http.Request {
					r, _ := http.NewRequest(http.MethodGet, ts.URL+"/healthz", nil)
					return r
				})
				b.ReportMetric(ms(percentile(step, 50)), "click-p50-ms")
				b.ReportMetric(ms(percentile(step, 99)), "click-p99-ms")
				b.ReportMetric(ms(percentile(trivial, 50)), "healthz-p50-ms")
				b.ReportMetric(ms(percentile(trivial, 99)), "healthz-p99-ms")
			}
		})
	}
}

// openLoop sends n requests at a fixed rate, each on time whether or not
// the earlier ones have answered (so a slow server shows in the latency,
// not in a lower rate), and returns their latencies.
func openLoop(b *testing.B, rate, n int, req func(i int) *http.Request) []time.Duration {
	lat := make([]time.Duration, n)
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	for i := range n {
		<-tick.C
		wg.Go(func() {
			start := time.Now()
			resp, err := http.DefaultClient.Do(req(i))
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
			}
			lat[i] = time.Since(start)
		})
	}
	wg.Wait()
	return lat
}

func percentile(lat []time.Duration, p int) time.Duration {
	s := slices.Clone(lat)
	slices.Sort(s)
	return s[(len(s)-1)*p/100]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
