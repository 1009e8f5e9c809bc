package report

import (
	"io"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/money"
)

// pdfSheet lays the table out on A4 pages, landscape when it is wide: the
// heading on the first page, the header row repeated at the top of every
// page, "page N of M" in the footer. Amounts and numbers are written the
// way readers of the language write them, each amount with its currency
// code, so currency-code columns are left out.
//
// fpdf's core fonts cover Windows-1252, which has every Spanish letter;
// characters outside it are shown as dots.
type pdfSheet struct {
	w    io.Writer
	lang i18n.Lang
	loc  money.Locale

	pdf      *fpdf.Fpdf
	tr       func(string) string // UTF-8 to the fonts' code page
	visible  []int               // indexes of the columns shown
	widths   []float64           // of the columns shown, in mm
	fontSize float64             // in points
	lineH    float64             // in mm
	rows     int
}

const pdfFont = "Helvetica"

func newPDF(w io.Writer, lang i18n.Lang) *pdfSheet {
	loc := money.LocaleEN
	if lang == i18n.ES {
		loc = money.LocaleES
	}
	return &pdfSheet{w: w, lang: lang, loc: loc}
}

func (p *pdfSheet) begin(h heading, cols []column) error {
	var natural float64
	for i, c := range cols {
		if c.kind != colCode {
			p.visible = append(p.visible, i)
			natural += c.width
		}
	}
	orientation := "P"
	if natural > 110 { // characters of columns a portrait page cannot hold at 8 points
		orientation = "L"
	}
	pdf := fpdf.New(orientation, "mm", "A4", "")
	p.pdf = pdf
	const margin = 10
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, 15)
	pdf.AliasNbPages("")
	pdf.SetTitle(h.title, true)
	pdf.SetCreator("cambista", false)
	pdf.SetCreationDate(h.at)
	pdf.SetCatalogSort(true) // the same report gives the same bytes
	p.tr = pdf.UnicodeTranslatorFromDescriptor("")

	pageW, _ := pdf.GetPageSize()
	usable := pageW - 2*margin
	for _, i := range p.visible {
		p.widths = append(p.widths, cols[i].width*usable/natural)
	}
	p.fontSize = 8
	if len(p.visible) > 8 {
		p.fontSize = 6.5
	}
	p.lineH = p.fontSize * 0.3528 * 1.6 // points to mm, with leading

	pdf.SetHeaderFunc(func() {
		if pdf.PageNo() == 1 {
			if h.business != "" {
				pdf.SetFont(pdfFont, "B", 14)
				pdf.CellFormat(0, 7, p.tr(h.business), "", 1, "L", false, 0, "")
			}
			pdf.SetFont(pdfFont, "B", 12)
			pdf.CellFormat(0, 6, p.tr(h.title), "", 1, "L", false, 0, "")
			pdf.SetFont(pdfFont, "", 9)
			pdf.CellFormat(0, 4.5, p.tr(h.period), "", 1, "L", false, 0, "")
			pdf.CellFormat(0, 4.5, p.tr(h.generated), "", 1, "L", false, 0, "")
			pdf.Ln(3)
		}
		pdf.SetFont(pdfFont, "B", p.fontSize)
		pdf.SetFillColor(231, 230, 230)
		for j, i := range p.visible {
			c := cols[i]
			align := "L"
			if c.kind == colNum {
				align = "R"
			}
			pdf.CellFormat(p.widths[j], p.lineH+1, p.fit(i18n.T(p.lang, c.label.Msg()), p.widths[j]), "B", 0, align, true, 0, "")
		}
		pdf.Ln(p.lineH + 1)
	})
	pdf.SetFooterFunc(func() {
		pdf.SetY(-10)
		pdf.SetFont(pdfFont, "", 7)
		pdf.SetTextColor(110, 110, 110)
		left := h.title
		if h.business != "" {
			left = h.business + " · " + h.title
		}
		pdf.CellFormat(usable*2/3, 4, p.fit(left, usable*2/3), "", 0, "L", false, 0, "")
		page := i18n.T(p.lang, msgPage.Msg("Page", pdf.PageNo(), "Pages", "{nb}"))
		pdf.CellFormat(usable/3, 4, p.tr(page), "", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	return pdf.Error()
}

func (p *pdfSheet) row(cells []cell, total bool) error {
	if p.rows++; p.rows > MaxPDFRows {
		return cambista.Errorf(cambista.EINVALID, MsgTooLarge.Msg("Max", MaxPDFRows, "Format", "PDF"))
	}
	style, border := "", ""
	if total {
		style, border = "B", "T"
	}
	p.pdf.SetFont(pdfFont, style, p.fontSize)
	for j := 0; j < len(p.visible); j++ {
		c := cells[p.visible[j]]
		w := p.widths[j]
		// A total's label takes the empty cells after it.
		for label := total && j == 0; label && j+1 < len(p.visible) && cells[p.visible[j+1]].kind == blank; {
			j++
			w += p.widths[j]
		}
		switch c.kind {
		case intCell, amountCell, rateCell:
			p.number(w, p.text(c), border, style)
		default:
			p.pdf.CellFormat(w, p.lineH, p.fit(p.text(c), w), border, 0, "L", false, 0, "")
		}
	}
	p.pdf.Ln(p.lineH)
	return p.pdf.Error()
}

func (p *pdfSheet) text(c cell) string {
	switch c.kind {
	case textCell:
		return c.s
	case intCell:
		return strconv.FormatInt(c.n, 10)
	case timeCell:
		return c.t.UTC().Format("2006-01-02 15:04:05")
	case amountCell:
		return money.Format(c.a, p.loc)
	case rateCell:
		if p.loc == money.LocaleES {
			return strings.Replace(c.s, ".", ",", 1)
		}
		return c.s
	}
	return ""
}

// fit returns s in the fonts' code page, cut with an ellipsis to fit a
// cell w wide.
func (p *pdfSheet) fit(s string, w float64) string {
	s = p.tr(s)
	room := w - 2*p.pdf.GetCellMargin()
	if p.pdf.GetStringWidth(s) <= room {
		return s
	}
	const ellipsis = "\x85" // "…" in Windows-1252
	for len(s) > 0 && p.pdf.GetStringWidth(s+ellipsis) > room {
		s = s[:len(s)-1]
	}
	return s + ellipsis
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

func (p *pdfSheet) end() error {
	return p.pdf.Output(p.w)
}
