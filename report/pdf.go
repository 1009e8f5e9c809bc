package report

import (
	_ "embed"
	"io"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/i18n"
)

// DejaVu Sans (Debian's fonts-dejavu-core 2.37; licence in fonts/LICENSE)
// covers Latin, Greek, Cyrillic, Arabic, Hebrew, Georgian, Armenian and
// many symbols, so names in those scripts print as typed. fpdf embeds only
// the glyphs a report uses.
var (
	//go:embed fonts/DejaVuSans.ttf
	dejaVuSans []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	dejaVuSansBold []byte
)

const pdfFont = "DejaVu"

// pdfSheet lays the table out on A4 pages: the heading on the first page,
// the header row repeated at the top of every page, "page N of M" in the
// footer. Amounts and numbers are written the way readers of the language
// write them, each amount with its currency code, so currency-code columns
// are left out.
//
// The rows are kept until the end, so that the columns can be measured:
// each gets the width of its widest cell (a header may wrap onto two
// lines), the page turns to landscape and the type gets smaller until the
// table fits, and only if it still does not fit are text columns narrowed,
// their text cut with an ellipsis. Numbers are never cut.
//
// Characters DejaVu Sans does not have print as an empty box; so do those
// beyond Unicode's first 65,536 (most emoji), which fpdf cannot encode.
type pdfSheet struct {
	w    io.Writer
	lang i18n.Lang

	pdf     *fpdf.Fpdf
	h       heading
	cols    []column
	visible []int // indexes of the columns shown
	rows    []pdfRow

	widths   []float64 // of the columns shown, in mm
	fontSize float64   // in points
	lineH    float64   // in mm
}

type pdfRow struct {
	text  []string // by visible column
	blank []bool
	num   []bool
	total bool
}

const (
	pdfMargin = 10.0
	// maxTextCol is the most a text column takes before the table is
	// measured against the page, so that one long name cannot push every
	// other column off it.
	maxTextCol = 60.0
)

func newPDF(w io.Writer, lang i18n.Lang) *pdfSheet {
	return &pdfSheet{w: w, lang: lang}
}

func (p *pdfSheet) begin(h heading, cols []column) error {
	for _, t := range []*string{&h.business, &h.title, &h.period, &h.generated} {
		*t = printable(*t)
	}
	p.h, p.cols = h, cols
	for i, c := range cols {
		if c.kind != colCode {
			p.visible = append(p.visible, i)
		}
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	p.pdf = pdf
	pdf.AddUTF8FontFromBytes(pdfFont, "", dejaVuSans)
	pdf.AddUTF8FontFromBytes(pdfFont, "B", dejaVuSansBold)
	pdf.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	pdf.SetAutoPageBreak(true, 15)
	pdf.AliasNbPages("")
	pdf.SetTitle(h.title, true)
	pdf.SetCreator("cambista", false)
	pdf.SetCreationDate(h.at)
	pdf.SetCatalogSort(true) // the same report gives the same bytes
	return pdf.Error()
}

func (p *pdfSheet) row(cells []cell, total bool) error {
	if len(p.rows) >= MaxPDFRows {
		return cambista.Errorf(cambista.EINVALID, MsgTooLarge.Msg("Max", MaxPDFRows, "Format", "PDF"))
	}
	r := pdfRow{text: make([]string, len(p.visible)), blank: make([]bool, len(p.visible)), num: make([]bool, len(p.visible)), total: total}
	for j, i := range p.visible {
		c := cells[i]
		r.text[j], r.blank[j] = printable(p.text(c)), c.kind == blank
		r.num[j] = c.kind == intCell || c.kind == amountCell || c.kind == rateCell
	}
	p.rows = append(p.rows, r)
	return nil
}

// printable replaces the characters fpdf cannot encode (beyond U+FFFF)
// with the box that missing glyphs show as.
func printable(s string) string {
	for _, r := range s {
		if r > 0xFFFF {
			return strings.Map(func(r rune) rune {
				if r > 0xFFFF {
					return '□'
				}
				return r
			}, s)
		}
	}
	return s
}

func (p *pdfSheet) text(c cell) string {
	switch c.kind {
	case textCell:
		return c.s
	case intCell:
		return strconv.FormatInt(c.n, 10)
	case timeCell:
		return c.t.UTC().Format(timeLayout)
	case dateCell:
		return c.t.UTC().Format(dateLayout)
	case amountCell:
		return i18n.Money(p.lang, c.a)
	case rateCell:
		return i18n.Number(p.lang, c.s)
	}
	return ""
}

func (p *pdfSheet) label(i int) string { return i18n.T(p.lang, p.cols[i].label.Msg()) }

// layout chooses the orientation, the type size and the columns' widths.
func (p *pdfSheet) layout() string {
	pdf := p.pdf
	margin := pdf.GetCellMargin()
	// Widths grow with the type's size: measure once, at 8 points.
	const measured = 8.0
	raw := make([]float64, len(p.visible))
	for j, i := range p.visible {
		pdf.SetFont(pdfFont, "B", measured)
		for _, word := range strings.Fields(p.label(i)) { // headers wrap between words
			raw[j] = max(raw[j], pdf.GetStringWidth(word))
		}
	}
	for _, style := range []string{"", "B"} {
		pdf.SetFont(pdfFont, style, measured)
		for _, r := range p.rows {
			if r.total != (style == "B") {
				continue
			}
			for j := range p.visible {
				if r.total && !r.num[j] {
					continue // a total's label may take the blank cells after it
				}
				raw[j] = max(raw[j], pdf.GetStringWidth(r.text[j]))
			}
		}
	}
	// natural returns each column's width at a size, and their sum.
	natural := func(size float64) ([]float64, float64) {
		ws := make([]float64, len(p.visible))
		var sum float64
		for j, i := range p.visible {
			ws[j] = raw[j]*size/measured + 2*margin + 0.5
			if p.cols[i].kind == colText {
				ws[j] = min(ws[j], maxTextCol)
			}
			sum += ws[j]
		}
		return ws, sum
	}
	sizes := []float64{8, 7.5, 7, 6.5, 6, 5.5}
	orientation, size := "L", sizes[len(sizes)-1]
	ws, sum := natural(size)
	var usable float64
found:
	for _, o := range []string{"P", "L"} {
		usable = 210 - 2*pdfMargin
		if o == "L" {
			usable = 297 - 2*pdfMargin
		}
		for _, s := range sizes {
			if w, t := natural(s); t <= usable {
				orientation, size, ws, sum = o, s, w, t
				break found
			}
		}
	}
	if sum > usable {
		// Narrow the text columns; numbers keep their width.
		var text float64
		for j, i := range p.visible {
			if p.cols[i].kind == colText {
				text += ws[j]
			}
		}
		if room := usable - (sum - text); room > 0 && text > 0 {
			for j, i := range p.visible {
				if p.cols[i].kind == colText {
					ws[j] *= room / text
				}
			}
		}
	} else {
		// Spread what is left over the columns, to fill the page.
		for j := range ws {
			ws[j] *= usable / sum
		}
	}
	p.widths, p.fontSize = ws, size
	p.lineH = size * 0.3528 * 1.6 // points to mm, with leading
	return orientation
}

func (p *pdfSheet) end() error {
	pdf, h := p.pdf, p.h
	orientation := p.layout()
	pdf.SetHeaderFunc(func() {
		if pdf.PageNo() == 1 {
			if h.business != "" {
				pdf.SetFont(pdfFont, "B", 14)
				pdf.CellFormat(0, 7, h.business, "", 1, "L", false, 0, "")
			}
			pdf.SetFont(pdfFont, "B", 12)
			pdf.CellFormat(0, 6, h.title, "", 1, "L", false, 0, "")
			pdf.SetFont(pdfFont, "", 9)
			pdf.CellFormat(0, 4.5, h.period, "", 1, "L", false, 0, "")
			pdf.CellFormat(0, 4.5, h.generated, "", 1, "L", false, 0, "")
			pdf.Ln(3)
		}
		p.header()
	})
	pdf.SetFooterFunc(func() {
		usable, _ := pdf.GetPageSize()
		usable -= 2 * pdfMargin
		pdf.SetY(-10)
		pdf.SetFont(pdfFont, "", 7)
		pdf.SetTextColor(110, 110, 110)
		left := h.title
		if h.business != "" {
			left = h.business + " · " + h.title
		}
		pdf.CellFormat(usable*2/3, 4, p.fit(left, usable*2/3), "", 0, "L", false, 0, "")
		page := i18n.T(p.lang, msgPage.Msg("Page", pdf.PageNo(), "Pages", "{nb}"))
		pdf.CellFormat(usable/3, 4, page, "", 0, "R", false, 0, "")
	})
	pdf.AddPageFormat(orientation, pdf.GetPageSizeStr("A4"))
	for _, r := range p.rows {
		p.draw(r)
	}
	if err := pdf.Error(); err != nil {
		return err
	}
	return pdf.Output(p.w)
}

// header draws the header row, each label wrapped between words to fit its
// column.
func (p *pdfSheet) header() {
	pdf := p.pdf
	pdf.SetFont(pdfFont, "B", p.fontSize)
	pdf.SetFillColor(231, 230, 230)
	lines := make([][]string, len(p.visible))
	n := 1
	for j, i := range p.visible {
		lines[j] = pdf.SplitText(p.label(i), p.widths[j])
		n = max(n, len(lines[j]))
	}
	x0, y := pdf.GetX(), pdf.GetY()
	height := float64(n)*p.lineH + 1
	x := x0
	for j, i := range p.visible {
		align := "L"
		if p.cols[i].kind == colNum {
			align = "R"
		}
		pdf.Rect(x, y, p.widths[j], height, "F")
		for k, l := range lines[j] {
			pdf.SetXY(x, y+0.5+float64(k)*p.lineH)
			pdf.CellFormat(p.widths[j], p.lineH, l, "", 0, align, false, 0, "")
		}
		x += p.widths[j]
	}
	pdf.Line(x0, y+height, x, y+height)
	pdf.SetXY(x0, y+height)
}

func (p *pdfSheet) draw(r pdfRow) {
	style, border := "", ""
	if r.total {
		style, border = "B", "T"
	}
	p.pdf.SetFont(pdfFont, style, p.fontSize)
	for j := 0; j < len(p.visible); j++ {
		w := p.widths[j]
		first := j
		// A total's label takes the empty cells after it.
		for label := r.total && !r.num[j]; label && j+1 < len(p.visible) && r.blank[j+1]; {
			j++
			w += p.widths[j]
		}
		if r.num[first] {
			p.number(w, r.text[first], border, style)
		} else {
			p.pdf.CellFormat(w, p.lineH, p.fit(r.text[first], w), border, 0, "L", false, 0, "")
		}
	}
	p.pdf.Ln(p.lineH)
}

// fit returns s, cut with an ellipsis to fit a cell w wide.
func (p *pdfSheet) fit(s string, w float64) string {
	room := w - 2*p.pdf.GetCellMargin()
	if p.pdf.GetStringWidth(s) <= room {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 && p.pdf.GetStringWidth(string(rs)+"…") > room {
		rs = rs[:len(rs)-1]
	}
	return string(rs) + "…"
}

// number writes a number right-aligned in a cell w wide. A number is never
// cut: one too wide for the cell is written smaller.
func (p *pdfSheet) number(w float64, s, border, style string) {
	room := w - 2*p.pdf.GetCellMargin()
	size := p.fontSize
	for size > 4 && p.pdf.GetStringWidth(s) > room {
		size -= 0.5
		p.pdf.SetFontSize(size)
	}
	p.pdf.CellFormat(w, p.lineH, s, border, 0, "R", false, 0, "")
	if size != p.fontSize {
		p.pdf.SetFont(pdfFont, style, p.fontSize)
	}
}
