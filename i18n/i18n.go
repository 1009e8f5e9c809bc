// Package i18n renders cambista's messages in the reader's language.
//
// Each package whose words a person reads defines them in a catalog of its
// own (cambista.Catalog): the root for the domain's messages and errors,
// each adapter for its own labels and sentences. English lives beside the
// code: each Text call carries the English template, which is the default
// message, so adding a message never waits for a translator. Spanish lives
// in the package's locales/es.json, keyed by message ID, with the same
// template placeholders; the package loads it with Load when it makes its
// catalog. Each package's test calls Check, which fails when a message has
// no Spanish text, when the Spanish keeps an ID the code no longer defines,
// or when a translation's placeholders differ from the English ones.
package i18n

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"sync"
	"text/template"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/money"
	"github.com/shopspring/decimal"
)

// Lang is a language cambista speaks.
type Lang string

const (
	ES Lang = "es"
	EN Lang = "en"
)

// timeLayout is the same in every language: operators across countries
// compare times, so they are always shown in UTC.
const timeLayout = "2006-01-02 15:04 UTC"

// loaded holds the translations of every catalog in one bundle: message IDs
// are unique across catalogs, so a message is all T needs to find its text.
var loaded = struct {
	mu         sync.RWMutex
	bundle     *goi18n.Bundle
	localizers map[Lang]*goi18n.Localizer
	text       map[Lang]map[string]string // translated template by language and message ID
	catalogs   map[*cambista.Catalog]map[Lang]map[string]string
}{
	bundle:   goi18n.NewBundle(language.English),
	text:     map[Lang]map[string]string{},
	catalogs: map[*cambista.Catalog]map[Lang]map[string]string{},
}

func init() {
	loaded.localizers = map[Lang]*goi18n.Localizer{
		ES: goi18n.NewLocalizer(loaded.bundle, string(ES)),
		EN: goi18n.NewLocalizer(loaded.bundle, string(EN)),
	}
	Load(cambista.Messages)
}

// Load reads the translations of c (locales/*.json in c.Spanish) so that T
// renders its messages, and returns c. A package calls it when it makes its
// catalog, at initialization, so that a broken file stops the program at
// start rather than when someone first reads a message; it panics too when
// a translated ID is already another catalog's.
func Load(c *cambista.Catalog) *cambista.Catalog {
	loaded.mu.Lock()
	defer loaded.mu.Unlock()
	files, _ := fs.Glob(c.Spanish, "locales/*.json") // the pattern is valid
	if len(files) == 0 {
		panic("i18n: catalog without locales/*.json")
	}
	own := map[Lang]map[string]string{}
	for _, name := range files {
		mf, err := loaded.bundle.LoadMessageFileFS(c.Spanish, name)
		if err != nil {
			panic(fmt.Sprintf("i18n: %s: %v", name, err))
		}
		lang, err := Parse(mf.Tag.String())
		if err != nil {
			panic(fmt.Sprintf("i18n: %s: %v", name, err))
		}
		if lang == EN {
			panic("i18n: " + name + ": English belongs in the code, not in a catalog")
		}
		texts := make(map[string]string, len(mf.Messages))
		for _, m := range mf.Messages {
			if _, dup := loaded.text[lang][m.ID]; dup {
				panic("i18n: " + name + ": message ID of another catalog: " + m.ID)
			}
			texts[m.ID] = m.Other
		}
		if loaded.text[lang] == nil {
			loaded.text[lang] = map[string]string{}
		}
		for id, s := range texts {
			loaded.text[lang][id] = s
		}
		own[lang] = texts
	}
	loaded.catalogs[c] = own
	return c
}

// Parse reads a language tag such as "es", "en", "es-ES" or "en-GB", in any
// case, and returns its language if cambista speaks it.
func Parse(s string) (Lang, error) {
	tag, err := language.Parse(s)
	if err != nil {
		return "", fmt.Errorf("i18n: language %q: %w", s, err)
	}
	// Base guesses a language for tags such as "und"; only an exact one counts.
	if base, conf := tag.Base(); conf == language.Exact {
		switch base.String() {
		case string(ES):
			return ES, nil
		case string(EN):
			return EN, nil
		}
	}
	return "", fmt.Errorf("i18n: language %q: use es or en", s)
}

// FromDiscord maps a Discord locale ("es-ES", "es-419", "en-US", "pt-BR",
// "") to a Lang: any Spanish locale gives ES, everything else the fallback.
// English locales give the fallback too because en-US is Discord's default,
// which many Spanish speakers never change; it says little about the reader.
func FromDiscord(locale string, fallback Lang) Lang {
	if lang, err := Parse(locale); err == nil && lang == ES {
		return ES
	}
	return fallback
}

// T renders m in lang: the translated template, or m's English one when the
// translation is missing, executed over m.Data. Amounts are formatted the way
// readers of lang write numbers, even inside an English fallback, so that a
// Spanish reader never mistakes "1,234.56" for a small amount; times are
// shown in UTC. T never fails: if the template does not execute, it returns
// the template text as is.
func T(lang Lang, m cambista.Message) string {
	data := localizeData(lang, m.Data)
	loaded.mu.RLock()
	defer loaded.mu.RUnlock()
	src, translated := loaded.text[lang][m.ID]
	tmplLang := lang
	if !translated {
		tmplLang, src = EN, m.Text
	}
	if !strings.Contains(src, "{{") {
		return src // a label: nothing to execute
	}
	out, err := loaded.localizers[tmplLang].Localize(&goi18n.LocalizeConfig{
		DefaultMessage: &goi18n.Message{ID: m.ID, Other: m.Text},
		TemplateData:   data,
	})
	if err != nil {
		return src
	}
	return out
}

// Word names s in lang when it is a word of the root's vocabulary (an
// entity, a state, an enum value), and returns it as it is otherwise.
func Word[S ~string](lang Lang, s S) string {
	return fmt.Sprint(localizeValue(lang, cambista.WordFor(string(s))))
}

// localizeData returns a copy of data with the values whose text depends on
// the language already formatted, so that templates stay plain {{.Name}}.
func localizeData(lang Lang, data map[string]any) map[string]any {
	if len(data) == 0 {
		return data
	}
	out := make(map[string]any, len(data))
	for k, v := range data {
		out[k] = localizeValue(lang, v)
	}
	return out
}

func localizeValue(lang Lang, v any) any {
	switch v := v.(type) {
	case cambista.Word:
		return T(lang, cambista.MessageDef(v).Msg())
	case money.Amount:
		return Money(lang, v)
	case *money.Amount:
		if v != nil {
			return Money(lang, *v)
		}
	case money.Rate:
		return Number(lang, v.String())
	case decimal.Decimal:
		return Number(lang, v.String())
	case time.Time:
		return v.UTC().Format(timeLayout)
	}
	return v
}

// Money writes an amount as readers of lang write it: "1.234,56 VES" in
// Spanish, "1,234.56 VES" in English. Every adapter writes money through it
// (or through a message, which does the same).
func Money(lang Lang, a money.Amount) string { return money.Format(a, locale(lang)) }

// Number writes a plain decimal text ("40.4", a rate's or a percentage's
// String) as readers of lang write numbers: "40,4" in Spanish.
func Number(lang Lang, s string) string { return money.FormatDecimal(s, locale(lang)) }

func locale(lang Lang) money.Locale {
	if lang == ES {
		return money.LocaleES
	}
	return money.LocaleEN
}

// Check compares catalog c with its Spanish. It reports every message
// without a Spanish text, every Spanish text whose ID no message of c
// defines, every translation that does not parse or whose placeholders
// differ from the English ones, and every message that does not render in
// both languages. Each package with a catalog calls it from a test.
func Check(c *cambista.Catalog) error {
	loaded.mu.RLock()
	es, ok := loaded.catalogs[c][ES]
	loaded.mu.RUnlock()
	if !ok {
		return errors.New("the catalog has no Spanish: make it with i18n.Load and a locales/es.json")
	}
	var errs []error
	defined := map[string]bool{}
	for _, d := range c.All() {
		defined[d.ID] = true
		src, ok := es[d.ID]
		if !ok {
			errs = append(errs, fmt.Errorf("%s: no Spanish in locales/es.json", d.ID))
			continue
		}
		if _, err := template.New(d.ID).Parse(src); err != nil {
			errs = append(errs, fmt.Errorf("%s: Spanish template does not parse: %v", d.ID, err))
			continue
		}
		if got, want := fields(src), fields(d.Text); !slices.Equal(got, want) {
			errs = append(errs, fmt.Errorf("%s: Spanish uses fields %v, English %v", d.ID, got, want))
			continue
		}
		// Every field given a value: a template that does not execute
		// comes back raw.
		m := d.Msg()
		m.Data = map[string]any{}
		for _, f := range fields(d.Text) {
			m.Data[f] = "x"
		}
		for _, lang := range []Lang{ES, EN} {
			if got := T(lang, m); strings.Contains(got, "{{") || strings.Contains(got, "<no value>") {
				errs = append(errs, fmt.Errorf("%s: does not render in %s: %q", d.ID, lang, got))
			}
		}
	}
	var stale []string
	for id := range es {
		if !defined[id] {
			stale = append(stale, id)
		}
	}
	slices.Sort(stale)
	for _, id := range stale {
		errs = append(errs, fmt.Errorf("%s: in locales/es.json, but no message in code defines it", id))
	}
	return errors.Join(errs...)
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
