package report

import (
	"strconv"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/money"
)

// Every report is one table: a heading, a header row, data rows and total
// rows. The reports build rows of cells; each format renders them.

// heading is what a report says above its table, already in its language.
type heading struct {
	business  string
	title     string
	sheet     string // the XLSX sheet's name
	period    string
	generated string
	at        time.Time // when the report was generated
}

type colKind uint8

const (
	colText colKind = iota
	colNum          // numbers and amounts, right-aligned in the PDF
	colCode         // a currency code beside amounts: the PDF leaves it out, as its amounts carry the code
)

type column struct {
	label cambista.MessageDef
	width float64 // in characters in XLSX; relative in the PDF, which fills the page's width
	kind  colKind
}

// How times and days are written in every format, in UTC.
const (
	timeLayout = "2006-01-02 15:04:05"
	dateLayout = "2006-01-02"
)

type cellKind uint8

const (
	blank cellKind = iota
	textCell
	intCell
	timeCell
	dateCell // a day, in UTC
	amountCell
	rateCell // an exact decimal text
)

// cell is one value of a row; only the field of its kind is set. Rows are
// slices of cells reused from row to row, so a cell holds its value
// unboxed.
type cell struct {
	kind cellKind
	s    string
	n    int64
	t    time.Time
	a    money.Amount
}

func txt(s string) cell {
	if s == "" {
		return cell{}
	}
	return cell{kind: textCell, s: s}
}

func num(n int64) cell         { return cell{kind: intCell, n: n} }
func at(t time.Time) cell      { return cell{kind: timeCell, t: t} }
func date(t time.Time) cell    { return cell{kind: dateCell, t: t} }
func amt(a money.Amount) cell  { return cell{kind: amountCell, a: a} }
func rate(r money.Rate) cell   { return cell{kind: rateCell, s: r.String()} }
func code(a money.Amount) cell { return txt(a.Currency.Code) }

// optID shows an ID that may be unset (0) as a blank.
func optID(id cambista.ID) cell {
	if id == 0 {
		return cell{}
	}
	return num(int64(id))
}

// sheet renders a table in one format. begin comes first, then row for each
// data and total row, then end, which completes the output; an error from
// any of them stops the report.
type sheet interface {
	begin(h heading, cols []column) error
	row(cells []cell, total bool) error
	end() error
}

// appendDecimal appends minor units as a plain decimal number with exp
// fraction digits, as "-1234.56": the form spreadsheets and programs read
// whatever the language.
func appendDecimal(b []byte, minor int64, exp int) []byte {
	u := uint64(minor)
	if minor < 0 {
		b = append(b, '-')
		u = -u // modular negation also covers math.MinInt64
	}
	start := len(b)
	b = strconv.AppendUint(b, u, 10)
	for len(b)-start <= exp { // at least one digit before the point
		b = append(b, 0)
		copy(b[start+1:], b[start:])
		b[start] = '0'
	}
	if exp > 0 {
		b = append(b, 0)
		point := len(b) - 1 - exp
		copy(b[point+1:], b[point:])
		b[point] = '.'
	}
	return b
}
