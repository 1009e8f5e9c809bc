package i18n

import (
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/money"
)

func TestCatalog(t *testing.T) {
	if err := Check(cambista.Messages); err != nil {
		t.Error(err)
	}
}

// TestCheck: a catalog out of step with its Spanish fails the check, for
// each way it can be.
func TestCheck(t *testing.T) {
	c := Load(&cambista.Catalog{Spanish: fstest.MapFS{"locales/es.json": {Data: []byte(`{
		"check_ok": "Hola {{.Name}}.",
		"check_fields": "Hola {{.Nombre}}.",
		"check_broken": "Hola {{.Name}.",
		"check_stale": "Ya nadie me usa."
	}`)}}})
	c.Text("check_ok", "Hello {{.Name}}.")
	c.Text("check_fields", "Hello {{.Name}}.")
	c.Text("check_broken", "Hello {{.Name}}.")
	c.Text("check_missing", "Nobody translated me.")
	err := Check(c)
	if err == nil {
		t.Fatal("Check passed a catalog out of step")
	}
	for _, want := range []string{
		"check_fields: Spanish uses fields [Nombre], English [Name]",
		"check_broken: Spanish template does not parse",
		"check_missing: no Spanish",
		"check_stale: in locales/es.json, but no message in code defines it",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Check reported\n%v\nwithout %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "check_ok") {
		t.Errorf("Check reported a message in step: %v", err)
	}
	if err := Check(&cambista.Catalog{}); err == nil {
		t.Error("Check passed a catalog never loaded")
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

// TestTConcurrent renders every message in both languages at once, to
// show that concurrent rendering is safe and gives what rendering one at a
// time gives.
func TestTConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for _, d := range cambista.Messages.All() {
		m := d.Msg()
		m.Data = map[string]any{}
		for _, f := range fields(d.Text) {
			m.Data[f] = "x"
		}
		for _, lang := range []Lang{ES, EN} {
			want := T(lang, m)
			wg.Go(func() {
				if got := T(lang, m); got != want {
					t.Errorf("T(%s, %s) = %q at once, %q alone", lang, d.ID, got, want)
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
