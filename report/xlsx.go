package report

import (
	"archive/zip"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/i18n"
)

// xlsxSheet writes one worksheet through excelize's StreamWriter: the
// heading in the first rows, the header row frozen below it, then the rows.
// Amounts are numeric cells with a format showing their currency's decimals
// (the currency code in its own column), times are date cells in UTC.
type xlsxSheet struct {
	w      io.Writer
	lang   i18n.Lang
	f      *excelize.File
	sw     *excelize.StreamWriter
	rowNum int   // the last row written
	vals   []any // one row's values, reused
	first  int   // the first data row

	bold, heading, title, header, time, boldTime, day, boldDay int
	amount, boldAmount                                         map[int]int // by currency exponent
}

func newXLSX(w io.Writer, lang i18n.Lang) *xlsxSheet {
	return &xlsxSheet{w: w, lang: lang, amount: map[int]int{}, boldAmount: map[int]int{}}
}

func (x *xlsxSheet) begin(h heading, cols []column) error {
	x.f = excelize.NewFile()
	if err := x.f.SetSheetName("Sheet1", h.sheet); err != nil {
		return err
	}
	var err error
	style := func(s *excelize.Style) int {
		id, e := x.f.NewStyle(s)
		if err == nil {
			err = e
		}
		return id
	}
	dateTime := "yyyy-mm-dd hh:mm:ss"
	x.bold = style(&excelize.Style{Font: &excelize.Font{Bold: true}})
	x.heading = style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	x.title = style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}})
	x.header = style(&excelize.Style{
		Font:   &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}},
		Border: []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}},
	})
	x.time = style(&excelize.Style{CustomNumFmt: &dateTime})
	x.boldTime = style(&excelize.Style{CustomNumFmt: &dateTime, Font: &excelize.Font{Bold: true}})
	dateOnly := "yyyy-mm-dd"
	x.day = style(&excelize.Style{CustomNumFmt: &dateOnly})
	x.boldDay = style(&excelize.Style{CustomNumFmt: &dateOnly, Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	if x.sw, err = x.f.NewStreamWriter(h.sheet); err != nil {
		return err
	}
	for i, c := range cols {
		if err := x.sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	var top [][]any
	if h.business != "" {
		top = append(top, []any{excelize.Cell{StyleID: x.heading, Value: h.business}})
	}
	top = append(top, []any{excelize.Cell{StyleID: x.title, Value: h.title}}, []any{h.period}, []any{h.generated}, nil)
	headerRow := len(top) + 1
	x.first = headerRow + 1
	// Panes must be set before the first row is written.
	if err := x.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: "A" + strconv.Itoa(x.first), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for _, vals := range top {
		if err := x.write(vals); err != nil {
			return err
		}
	}
	x.vals = make([]any, len(cols))
	for i, c := range cols {
		x.vals[i] = excelize.Cell{StyleID: x.header, Value: i18n.T(x.lang, c.label.Msg())}
	}
	return x.write(x.vals)
}

func (x *xlsxSheet) write(vals []any) error {
	if x.rowNum == excelize.TotalRows {
		return cambista.Errorf(cambista.EINVALID, MsgTooLarge.Msg("Max", excelize.TotalRows-x.first+1, "Format", "XLSX"))
	}
	x.rowNum++
	ref, err := excelize.CoordinatesToCellName(1, x.rowNum)
	if err != nil {
		return err
	}
	return x.sw.SetRow(ref, vals)
}

func (x *xlsxSheet) row(cells []cell, total bool) error {
	for i, v := range cells {
		x.vals[i] = x.value(v, total)
	}
	return x.write(x.vals)
}

func (x *xlsxSheet) value(v cell, total bool) any {
	var style int
	var val any
	switch v.kind {
	case blank:
		return nil
	case textCell:
		val = v.s
	case intCell:
		val = v.n
	case timeCell:
		style, val = x.time, v.t.UTC()
		if total {
			style = x.boldTime
		}
	case dateCell:
		style, val = x.day, v.t.UTC()
		if total {
			style = x.boldDay
		}
	case amountCell:
		style, val = x.amountStyle(v.a.Currency.Exponent, total), major(v.a.Minor, v.a.Currency.Exponent)
	case rateCell:
		// A rate's text is an exact decimal, so it parses.
		f, _ := strconv.ParseFloat(v.s, 64)
		val = f
	}
	if total && style == 0 {
		style = x.bold
	}
	return excelize.Cell{StyleID: style, Value: val}
}

// pow10 are the divisors of minor units for exponents 0 to money.MaxExponent.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8}

// major returns minor units as a number of major units. Both operands are
// exact below 2⁵³ and division rounds correctly, so the result is the
// double nearest the exact amount and shows as its decimal text.
func major(minor int64, exp int) float64 {
	return float64(minor) / pow10[exp]
}

// amountStyle returns the number format of amounts with exp decimals,
// created the first time it is needed.
func (x *xlsxSheet) amountStyle(exp int, total bool) int {
	styles := x.amount
	if total {
		styles = x.boldAmount
	}
	if id, ok := styles[exp]; ok {
		return id
	}
	format := "#,##0"
	if exp > 0 {
		format += "." + strings.Repeat("0", exp)
	}
	id, err := x.f.NewStyle(&excelize.Style{CustomNumFmt: &format, Font: &excelize.Font{Bold: total}})
	if err != nil {
		id = 0 // the General format still shows the number
	}
	styles[exp] = id
	return id
}

func (x *xlsxSheet) end() error {
	if err := x.sw.Flush(); err != nil {
		return err
	}
	// WriteToBuffer builds the archive with the File's zip writer; pointed
	// at w, the archive streams out and the buffer stays empty, where
	// File.Write would hold the whole compressed workbook in memory first.
	x.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(x.w) })
	_, err := x.f.WriteToBuffer()
	return err
}

// Close removes the stream writer's temporary file, whether or not the
// report was completed.
func (x *xlsxSheet) Close() error {
	if x.f == nil {
		return nil
	}
	return x.f.Close()
}
