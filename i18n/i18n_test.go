package i18n

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"text/template"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/money"
)

func TestCatalog(t *testing.T) {
	t.Run("NoneMissing", func(t *testing.T) {
		if ids := Missing(ES); len(ids) > 0 {
			t.Errorf("messages without a Spanish translation in locales/es.json: %v", ids)
		}
		if ids := Missing(EN); len(ids) > 0 {
			t.Errorf("Missing(EN) = %v, want none: English is the code's text", ids)
		}
	})
	t.Run("NoneStale", func(t *testing.T) {
		defined := map[string]bool{}
		for _, d := range cambista.Messages() {
			defined[d.ID] = true
		}
		var stale []string
		for id := range cat.text[ES] {
			if !defined[id] {
				stale = append(stale, id)
			}
		}
		slices.Sort(stale)
		if len(stale) > 0 {
			t.Errorf("locales/es.json has IDs no message in code defines: %v", stale)
		}
	})
}

// action matches a template action; field, a data reference inside one.
var (
	action = regexp.MustCompile(`\{\{.*?\}\}`)
	field  = regexp.MustCompile(`\.([\p{L}_][\p{L}\p{N}_]*)`)
)

// fields returns the sorted, distinct data fields a template refers to.
func fields(src string) []string {
	var out []string
	for _, a := range action.FindAllString(src, -1) {
		for _, m := range field.FindAllStringSubmatch(a, -1) {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestPlaceholders(t *testing.T) {
	for _, d := range cambista.Messages() {
		es, ok := cat.text[ES][d.ID]
		if !ok {
			continue // reported by TestCatalog
		}
		if _, err := template.New(d.ID).Parse(es); err != nil {
			t.Errorf("%s: Spanish template does not parse: %v", d.ID, err)
			continue
		}
		if got, want := fields(es), fields(d.Text); !slices.Equal(got, want) {
			t.Errorf("%s: Spanish uses fields %v, English %v", d.ID, got, want)
		}
	}
}

func TestT(t *testing.T) {
	ves := money.Currency{Code: "VES", Exponent: 2}
	insufficient := cambista.MsgInsufficient.Msg(
		"Account", "cash:ves",
		"Available", money.New(123456, ves),
		"Needed", new(money.New(200000, ves)),
	)
	at := time.Date(2025, 3, 9, 22, 30, 0, 0, time.FixedZone("VET", -4*3600))
	tests := []struct {
		name string
		lang Lang
		msg  cambista.Message
		want string
	}{
		{"AmountES", ES, insufficient, "Fondos insuficientes en cash:ves: hay 1.234,56 VES disponibles y se necesitan 2.000,00 VES."},
		{"AmountEN", EN, insufficient, "Not enough funds in cash:ves: 1,234.56 VES available, 2,000.00 VES needed."},
		{"PrintfES", ES, cambista.MsgBadLocale.Msg("Input", "pt"), `Idioma desconocido "pt": use es o en.`},
		{"PrintfEN", EN, cambista.MsgBadLocale.Msg("Input", "pt"), `Unknown language "pt": use es or en.`},
		{"NoData", ES, cambista.MsgAmountPositive.Msg(), "El monto debe ser mayor que cero."},
		// Not in the catalog: Spanish readers get the English text, with
		// amounts still written their way.
		{"FallbackToEnglish", ES, cambista.Message{
			ID:   "test_untranslated",
			Text: "Paid {{.Amount}} at {{.At}}.",
			Data: map[string]any{"Amount": money.New(123456, ves), "At": at},
		}, "Paid 1.234,56 VES at 2025-03-10 02:30 UTC."},
		{"TimeEN", EN, cambista.Message{
			ID:   "test_time",
			Text: "At {{.At}}.",
			Data: map[string]any{"At": at},
		}, "At 2025-03-10 02:30 UTC."},
		{"ParseErrorRawText", EN, cambista.Message{ID: "test_broken", Text: "Broken {{.X"}, "Broken {{.X"},
		{"ExecErrorRawText", ES, cambista.Message{
			ID:   "test_exec",
			Text: "Field of a number: {{.N.Field}}",
			Data: map[string]any{"N": 1},
		}, "Field of a number: {{.N.Field}}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := T(tt.lang, tt.msg); got != tt.want {
				t.Errorf("T(%s, %s) = %q, want %q", tt.lang, tt.msg.ID, got, tt.want)
			}
		})
	}
}

// TestTEveryMessage renders every message in both languages at once, each
// field given a value, to show that all templates execute (a failure would
// return the raw template) and that concurrent rendering is safe.
func TestTEveryMessage(t *testing.T) {
	var wg sync.WaitGroup
	for _, d := range cambista.Messages() {
		data := map[string]any{}
		for _, f := range fields(d.Text) {
			data[f] = "x"
		}
		m := cambista.Message{ID: d.ID, Text: d.Text, Data: data}
		for _, lang := range []Lang{ES, EN} {
			wg.Go(func() {
				if got := T(lang, m); strings.Contains(got, "{{") || strings.Contains(got, "<no value>") {
					t.Errorf("T(%s, %s) = %q: template did not execute", lang, d.ID, got)
				}
			})
		}
	}
	wg.Wait()
}

func TestFromDiscord(t *testing.T) {
	tests := []struct {
		locale   string
		fallback Lang
		want     Lang
	}{
		{"es-ES", EN, ES},
		{"es-419", EN, ES},
		{"en-US", EN, EN},
		{"en-US", ES, ES}, // Discord's default locale says little; the fallback decides
		{"en-GB", ES, ES},
		{"pt-BR", ES, ES},
		{"pt-BR", EN, EN},
		{"", ES, ES},
		{"", EN, EN},
	}
	for _, tt := range tests {
		if got := FromDiscord(tt.locale, tt.fallback); got != tt.want {
			t.Errorf("FromDiscord(%q, %s) = %s, want %s", tt.locale, tt.fallback, got, tt.want)
		}
	}
}

func TestParse(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for in, want := range map[string]Lang{
			"es": ES, "ES": ES, "es-ES": ES, "es-419": ES, "es_ve": ES,
			"en": EN, "EN": EN, "en-GB": EN, "en-us": EN,
		} {
			if got, err := Parse(in); err != nil || got != want {
				t.Errorf("Parse(%q) = %q, %v; want %q", in, got, err, want)
			}
		}
	})
	t.Run("Err", func(t *testing.T) {
		for _, in := range []string{"", "pt", "pt-BR", "und", "english", "es-", "e"} {
			if got, err := Parse(in); err == nil {
				t.Errorf("Parse(%q) = %q, want an error", in, got)
			}
		}
	})
}

// TestWordsAreTranslated: entity and state names carried as data read in
// the reader's language.
func TestWordsAreTranslated(t *testing.T) {
	err := cambista.TransferStatus("rejected").CheckTransition(cambista.TransferCompleted)
	m := cambista.ErrorMessage(err)
	if got := T(ES, m); !strings.Contains(got, "transferencia") || !strings.Contains(got, "rechazada") || !strings.Contains(got, "completada") {
		t.Errorf("Spanish: %s", got)
	}
	if got := T(EN, m); got != "This transfer is rejected and cannot become completed." {
		t.Errorf("English: %s", got)
	}
}
