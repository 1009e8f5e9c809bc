package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/cambista/cambista/i18n"
)

// csvSheet writes one header row and then the rows as they come. Values
// are for programs and spreadsheets whatever the language: amounts as
// plain decimals ("-1234.56") beside a currency code column, times as
// "2006-01-02 15:04:05" in UTC. Only the headers and words are translated.
type csvSheet struct {
	w    *csv.Writer
	lang i18n.Lang
	rec  []string
	buf  []byte
}

func newCSV(w io.Writer, lang i18n.Lang) *csvSheet {
	return &csvSheet{w: csv.NewWriter(w), lang: lang}
}

func (c *csvSheet) begin(_ heading, cols []column) error {
	c.rec = make([]string, len(cols))
	for i, col := range cols {
		c.rec[i] = i18n.T(c.lang, col.label.Msg())
	}
	return c.w.Write(c.rec)
}

func (c *csvSheet) row(cells []cell, _ bool) error {
	for i, v := range cells {
		c.rec[i] = c.field(v)
	}
	return c.w.Write(c.rec)
}

func (c *csvSheet) field(v cell) string {
	switch v.kind {
	case textCell:
		return inert(v.s)
	case rateCell:
		return v.s
	case intCell:
		return strconv.FormatInt(v.n, 10)
	case timeCell:
		return v.t.UTC().Format("2006-01-02 15:04:05")
	case amountCell:
		c.buf = appendDecimal(c.buf[:0], v.a.Minor, v.a.Currency.Exponent)
		return string(c.buf)
	}
	return ""
}

func (c *csvSheet) end() error {
	c.w.Flush()
	return c.w.Error()
}

// inert keeps a spreadsheet from running text as a formula: names and
// references are typed by users, and one starting with "=", "+", "-" or "@"
// would be evaluated when an operator opens the file (CSV injection).
// Amounts are never text, so a negative amount keeps its sign.
func inert(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
