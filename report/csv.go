package report

import (
	"bytes"
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/i18n"
)

// csvSheet writes one header row and then the data rows as they come.
// Times are "2006-01-02 15:04:05" in UTC, amounts plain decimals without
// thousands separators beside a currency code column, so that a
// spreadsheet reads them as numbers.
//
// For a spreadsheet (CSV), the file opens the way a spreadsheet of the
// report's language reads it: a UTF-8 byte order mark (or accents are
// garbled), and in Spanish ";" between fields and a decimal comma. Total
// rows are kept until the data ends and written after a blank line under a
// "Totals" row, so the data rows stay a clean table. For programs
// (PlainCSV), it is "," and decimal points in every language, and total
// rows are left out.
type csvSheet struct {
	w           *csv.Writer
	out         io.Writer
	lang        i18n.Lang
	spreadsheet bool
	comma       bool // decimal comma
	rec         []string
	buf         []byte
	totals      [][]string
}

func newCSV(w io.Writer, lang i18n.Lang, spreadsheet bool) *csvSheet {
	c := &csvSheet{w: csv.NewWriter(w), out: w, lang: lang, spreadsheet: spreadsheet}
	if spreadsheet && lang == i18n.ES {
		c.w.Comma, c.comma = ';', true
	}
	return c
}

// bom makes spreadsheets read the file as UTF-8.
const bom = "\uFEFF"

func (c *csvSheet) begin(_ heading, cols []column) error {
	if c.spreadsheet {
		if _, err := io.WriteString(c.out, bom); err != nil {
			return err
		}
	}
	c.rec = make([]string, len(cols))
	for i, col := range cols {
		c.rec[i] = i18n.T(c.lang, col.label.Msg())
	}
	return c.w.Write(c.rec)
}

func (c *csvSheet) row(cells []cell, total bool) error {
	if total && !c.spreadsheet {
		return nil
	}
	for i, v := range cells {
		c.rec[i] = c.field(v)
	}
	if total {
		c.totals = append(c.totals, append([]string(nil), c.rec...))
		return nil
	}
	return c.w.Write(c.rec)
}

func (c *csvSheet) field(v cell) string {
	switch v.kind {
	case textCell:
		return cambista.Inert(v.s) // amounts are never text: a negative amount keeps its sign
	case rateCell:
		return c.decimal(v.s)
	case intCell:
		return strconv.FormatInt(v.n, 10)
	case timeCell:
		return v.t.UTC().Format(timeLayout)
	case dateCell:
		return v.t.UTC().Format(dateLayout)
	case amountCell:
		c.buf = appendDecimal(c.buf[:0], v.a.Minor, v.a.Currency.Exponent)
		if c.comma {
			if i := bytes.IndexByte(c.buf, '.'); i >= 0 {
				c.buf[i] = ','
			}
		}
		return string(c.buf)
	}
	return ""
}

func (c *csvSheet) decimal(s string) string {
	if c.comma {
		return strings.Replace(s, ".", ",", 1)
	}
	return s
}

func (c *csvSheet) end() error {
	if len(c.totals) > 0 {
		c.w.Flush() // the blank line goes straight to the output, after the rows
		if _, err := io.WriteString(c.out, "\n"); err != nil {
			return err
		}
		head := make([]string, len(c.rec))
		head[0] = i18n.T(c.lang, lblTotals.Msg())
		if err := c.w.Write(head); err != nil {
			return err
		}
		if err := c.w.WriteAll(c.totals); err != nil {
			return err
		}
	}
	c.w.Flush()
	return c.w.Error()
}
