package grafana

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/cambista/cambista/deploy/cambistatest"
	"github.com/prometheus/prometheus/promql/parser"
)

type panel struct {
	Title   string  `json:"title"`
	Type    string  `json:"type"`
	Panels  []panel `json:"panels"`
	Targets []struct {
		Expr string `json:"expr"`
	} `json:"targets"`
}

// queries returns every panel's queries, rows' panels included, by title.
func queries(t *testing.T, file string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Panels []panel `json:"panels"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	var walk func([]panel)
	walk = func(ps []panel) {
		for _, p := range ps {
			for _, tg := range p.Targets {
				out[p.Title] = append(out[p.Title], tg.Expr)
			}
			walk(p.Panels)
		}
	}
	walk(d.Panels)
	return out
}

// metricNames parses a PromQL expression and returns the metrics it names.
func metricNames(expr string) ([]string, error) {
	e, err := parser.NewParser(parser.Options{}).ParseExpr(expr)
	if err != nil {
		return nil, err
	}
	var names []string
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			names = append(names, vs.Name)
		}
		return nil
	})
	return names, nil
}

// exported scrapes url and returns the metric families it exports; a
// histogram's series (_bucket, _count, _sum) are named too.
func exported(t *testing.T, url string) map[string]bool {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "# TYPE ") {
			f := strings.Fields(line)
			out[f[2]] = true
			if f[3] == "histogram" || f[3] == "summary" {
				for _, s := range []string{"_bucket", "_count", "_sum"} {
					out[f[2]+s] = true
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDashboardQueries parses every panel's query and checks that every
// metric it names is one a running "cambista serve" exports (with the
// sample business, so that every labelled series exists).
func TestDashboardQueries(t *testing.T) {
	panels := queries(t, "cambista.json")
	if len(panels) < 20 {
		t.Fatalf("%d panels with queries", len(panels))
	}
	base := cambistatest.Serve(t, "CAMBISTA_DEMO=true")
	// A request first, so the HTTP histogram has series.
	if resp, err := http.Get(base + "/healthz"); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	have := exported(t, base+"/metrics")
	for title, exprs := range panels {
		for _, expr := range exprs {
			names, err := metricNames(expr)
			if err != nil {
				t.Errorf("panel %q: %s: %v", title, expr, err)
				continue
			}
			if len(names) == 0 {
				t.Errorf("panel %q: %s names no metric", title, expr)
			}
			for _, n := range names {
				if !have[n] {
					t.Errorf("panel %q: %s is not exported by cambista serve", title, n)
				}
			}
		}
	}
}

// TestMetricNamesCheck: the check finds the names, and refuses a query
// that does not parse.
func TestMetricNamesCheck(t *testing.T) {
	got, err := metricNames(`sum(rate(a_total[5m])) / max by (x) (b{c="d"})`)
	if err != nil || !slices.Equal(got, []string{"a_total", "b"}) {
		t.Fatalf("names %v, %v", got, err)
	}
	if _, err := metricNames(`sum(rate(a_total[5m])`); err == nil {
		t.Fatal("an unbalanced query parsed")
	}
}
