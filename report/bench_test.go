package report_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/report"
	"github.com/cambista/cambista/store/storetest"
)

// statementService returns the use cases over a store of the dialect whose
// user heavy has n postings in USD from day on, one second apart, and a
// superuser's context.
func statementService(tb testing.TB, dialect string, n int) (*app.Service, context.Context) {
	tb.Helper()
	s := openStore(tb, dialect)
	f := newFixture(tb, s)
	must(f.svc.AddCurrency(f.super(), "", app.AddCurrency{Code: "USD", Exponent: 2, Name: "US dollar"}))
	f.user(heavy, "Héctor")
	seedPostings(tb, s, heavy, n, day)
	return f.svc, f.super()
}

// statementParams asks for heavy's whole statement.
func statementParams(format report.Format) report.Params {
	return report.Params{Kind: report.Statement, Format: format, Lang: i18n.ES, UserID: heavy, Currency: "USD",
		From: day, To: day.AddDate(0, 1, 0), BusinessName: "Cambios Caracas", GeneratedAt: generated}
}

// BenchmarkStatementExport exports a statement of 100,000 and 1,000,000
// postings as CSV and XLSX to io.Discard, on SQLite and, when
// CAMBISTA_TEST_POSTGRES_URL is set, PostgreSQL. It reports postings/s and
// peak-MB, the largest heap seen during the exports. Seeding is not
// measured; -short skips the 1M cases.
//
//	go test -run '^$' -bench StatementExport -benchtime 2x ./report/
func BenchmarkStatementExport(b *testing.B) {
	type key struct {
		dialect string
		n       int
	}
	// Each seeded store serves both formats; it lives until the benchmark
	// ends.
	outer := b
	services := map[key]*app.Service{}
	ctxs := map[key]context.Context{}
	sizes := []struct {
		name string
		n    int
	}{{"100k", 100_000}, {"1M", 1_000_000}}
	for _, format := range []report.Format{report.CSV, report.XLSX} {
		b.Run(string(format), func(b *testing.B) {
			for _, size := range sizes {
				b.Run(size.name, func(b *testing.B) {
					if size.n > 100_000 && testing.Short() {
						b.Skip("1M postings: not with -short")
					}
					for _, d := range storetest.Dialects {
						b.Run(d, func(b *testing.B) {
							if d == "postgres" && !storetest.HavePostgres() {
								b.Skipf("set %s", storetest.PostgresEnv)
							}
							k := key{d, size.n}
							if services[k] == nil {
								services[k], ctxs[k] = statementService(outer, d, size.n)
							}
							p := statementParams(format)
							stop := heapWatch()
							for b.Loop() {
								if err := report.Write(ctxs[k], services[k], p, io.Discard); err != nil {
									b.Fatal(err)
								}
							}
							peak := stop()
							b.ReportMetric(float64(size.n)*float64(b.N)/b.Elapsed().Seconds(), "postings/s")
							b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
						})
					}
				})
			}
		})
	}
}

// TestStatementExportMemory exports a statement of 1,000,000 postings from
// SQLite as XLSX and checks that the heap stayed under 150 MB and that the
// workbook holds every row. Seeding and the export take about a minute, so
// it runs only when asked:
//
//	CAMBISTA_REPORT_1M=1 go test -run StatementExportMemory -v ./report/
func TestStatementExportMemory(t *testing.T) {
	if os.Getenv("CAMBISTA_REPORT_1M") != "1" {
		t.Skip("set CAMBISTA_REPORT_1M=1 to export a statement of a million postings")
	}
	const n, limit = 1_000_000, 150 << 20
	svc, ctx := statementService(t, "sqlite", n)
	path := filepath.Join(t.TempDir(), "statement.xlsx")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	resetPeakRSS()
	stop := heapWatch()
	start := time.Now()
	err = report.Write(ctx, svc, statementParams(report.XLSX), out)
	took, peak := time.Since(start), stop()
	if err != nil {
		t.Fatal(err)
	}
	size, _ := out.Seek(0, io.SeekCurrent)
	t.Logf("%d postings to %.1f MB of XLSX in %v (%.0f postings/s); peak heap %.1f MB; process peak RSS %s",
		n, float64(size)/(1<<20), took.Round(time.Millisecond), n/took.Seconds(), float64(peak)/(1<<20), peakRSS())
	if peak > limit {
		t.Errorf("peak heap %.1f MB, want under %d MB", float64(peak)/(1<<20), limit>>20)
	}

	// The workbook's sheet has the heading (4 rows and a blank one), the
	// header, the opening balance, every posting and the three totals.
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var rows int
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(rc)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		sc.Split(splitAt("<row "))
		for sc.Scan() {
			rows++
		}
		rc.Close()
		rows-- // the text before the first row
	}
	if want := 5 + 1 + 1 + n + 3; rows != want {
		t.Errorf("the sheet has %d rows, want %d", rows, want)
	}
}

// splitAt splits a stream at each occurrence of sep.
func splitAt(sep string) bufio.SplitFunc {
	return func(data []byte, atEOF bool) (int, []byte, error) {
		if i := bytes.Index(data, []byte(sep)); i >= 0 {
			return i + len(sep), data[:i], nil
		}
		if atEOF && len(data) > 0 {
			return len(data), data, nil
		}
		return 0, nil, nil
	}
}

// resetPeakRSS starts the process's peak resident set afresh, where Linux
// allows it, so that seeding does not count.
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS returns the process's peak resident set from /proc, where there
// is one: the heap plus SQLite's own memory, stacks and the binary.
func peakRSS() string {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
