// Package i18n renders cambista's messages in the reader's language.
//
// English lives beside the code: each cambista.Text call carries the English
// template, which is the default message, so adding a message never waits
// for a translator. Spanish lives in locales/es.json, keyed by message ID,
// with the same template placeholders. The package test keeps the two in
// step: it fails when a message has no Spanish text, when the catalog keeps
// an ID the code no longer defines, or when a translation's placeholders
// differ from the English ones.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/money"
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

//go:embed locales
var locales embed.FS

// cat is loaded at package initialization so that a broken catalog stops
// the program at start rather than when someone first reads a message.
var cat = mustLoad()

type catalog struct {
	localizers map[Lang]*goi18n.Localizer
	text       map[Lang]map[string]string // translated template by language and message ID
}

func mustLoad() catalog {
	bundle := goi18n.NewBundle(language.English)
	c := catalog{text: map[Lang]map[string]string{}}
	files, _ := fs.Glob(locales, "locales/*.json") // the pattern is valid
	for _, name := range files {
		mf, err := bundle.LoadMessageFileFS(locales, name)
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
			texts[m.ID] = m.Other
		}
		c.text[lang] = texts
	}
	c.localizers = map[Lang]*goi18n.Localizer{
		ES: goi18n.NewLocalizer(bundle, string(ES)),
		EN: goi18n.NewLocalizer(bundle, string(EN)),
	}
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
	src, translated := cat.text[lang][m.ID]
	tmplLang := lang
	if !translated {
		tmplLang, src = EN, m.Text
	}
	out, err := cat.localizers[tmplLang].Localize(&goi18n.LocalizeConfig{
		DefaultMessage: &goi18n.Message{ID: m.ID, Other: m.Text},
		TemplateData:   localizeData(lang, m.Data),
	})
	if err != nil {
		return src
	}
	return out
}

// localizeData returns a copy of data with the values whose text depends on
// the language already formatted, so that templates stay plain {{.Name}}.
func localizeData(lang Lang, data map[string]any) map[string]any {
	if len(data) == 0 {
		return data
	}
	loc := money.LocaleEN
	if lang == ES {
		loc = money.LocaleES
	}
	out := make(map[string]any, len(data))
	for k, v := range data {
		out[k] = localizeValue(v, loc)
	}
	return out
}

func localizeValue(v any, loc money.Locale) any {
	switch v := v.(type) {
	case cambista.Word:
		lang := EN
		if loc == money.LocaleES {
			lang = ES
		}
		return T(lang, cambista.MessageDef(v).Msg())
	case money.Amount:
		return money.Format(v, loc)
	case *money.Amount:
		if v != nil {
			return money.Format(*v, loc)
		}
	case time.Time:
		return v.UTC().Format(timeLayout)
	}
	return v
}

// Missing returns the IDs of the messages defined in code that have no
// translation in lang, sorted as cambista.Messages sorts them. English is
// never missing: it is the code's own text.
func Missing(lang Lang) []string {
	if lang == EN {
		return nil
	}
	var ids []string
	for _, d := range cambista.Messages() {
		if _, ok := cat.text[lang][d.ID]; !ok {
			ids = append(ids, d.ID)
		}
	}
	return ids
}
