package app

import (
	"bytes"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/unmaskhq/unmask/report"
)

// signalColours are the PDF plot's colours of the seven signals (RGB),
// in SignalNames order; the legend beside the plot names them.
var signalColours = [][3]int{
	{31, 119, 180}, {255, 127, 14}, {44, 160, 44}, {214, 39, 40}, {148, 103, 189}, {140, 86, 75}, {127, 127, 127},
}

// maxPDFEvidence bounds the evidence pictures in a PDF report; the HTML
// report and the bundle hold all of them.
const maxPDFEvidence = 12

// reportPDF renders doc as a PDF: the verdict, the input's hash, a plot of
// every signal over time, the ranked reasons and the evidence frames from
// dir (the analyzer's output folder). fpdf is a pure-Go PDF writer: no
// browser or office suite is needed to print a report.
func reportPDF(doc *report.Document, dir string) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle("Unmask report: "+filepath.Base(doc.Input.Path), true)
	pdf.SetCreator(doc.Tool, true)
	tr := pdf.UnicodeTranslatorFromDescriptor("") // UTF-8 to the core fonts' cp1252
	pdf.SetAutoPageBreak(true, 15)
	pdf.AddPage()

	pdf.SetFont("Helvetica", "B", 16)
	pdf.CellFormat(0, 9, tr("Unmask report"), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 9)
	line := func(label, value string) {
		pdf.SetFont("Helvetica", "B", 9)
		pdf.CellFormat(32, 5, tr(label), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 9)
		pdf.MultiCell(0, 5, tr(value), "", "L", false)
	}
	line("Input", doc.Input.Path)
	line("SHA-256", doc.Input.SHA256)
	line("Video", fmt.Sprintf("%dx%d, %.2f fps, %.1f s, audio: %v", doc.Input.Width, doc.Input.Height, doc.Input.FPS, doc.Input.Duration, doc.Input.HasAudio))
	line("Generated", doc.Generated.UTC().Format("2006-01-02 15:04:05 MST")+" by "+doc.Tool)
	pdf.Ln(2)
	r, g, b := levelColour(doc.Level)
	pdf.SetFillColor(r, g, b)
	pdf.SetTextColor(255, 255, 255)
	pdf.SetFont("Helvetica", "B", 13)
	pdf.CellFormat(0, 10, tr(fmt.Sprintf("  Verdict: %s risk (%.2f)", strings.ToUpper(doc.Level), doc.Risk)), "", 1, "L", true, 0, "")
	pdf.SetTextColor(0, 0, 0)
	pdf.Ln(3)

	plotSignals(pdf, doc, tr)

	pdf.SetFont("Helvetica", "B", 11)
	pdf.CellFormat(0, 7, tr("Signals over the whole input"), "", 1, "L", false, 0, "")
	for i, name := range SignalNames {
		s, ok := doc.Signals[name]
		c := signalColours[i]
		pdf.SetFillColor(c[0], c[1], c[2])
		pdf.Rect(pdf.GetX(), pdf.GetY()+1.2, 3, 3, "F")
		pdf.SetX(pdf.GetX() + 4)
		pdf.SetFont("Helvetica", "B", 9)
		score := "not judged"
		if ok && s.Valid {
			score = fmt.Sprintf("%.2f", s.Score)
		}
		pdf.CellFormat(40, 5.5, tr(fmt.Sprintf("%s  %s", name, score)), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 8.5)
		reason := ""
		if ok && len(s.Reasons) > 0 {
			reason = s.Reasons[0]
		}
		pdf.MultiCell(0, 5.5, tr(reason), "", "L", false)
	}
	if len(doc.Warnings) > 0 {
		pdf.Ln(2)
		pdf.SetFont("Helvetica", "B", 10)
		pdf.CellFormat(0, 6, tr("Warnings"), "", 1, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 8.5)
		for _, w := range doc.Warnings {
			pdf.MultiCell(0, 4.5, tr("- "+w), "", "L", false)
		}
	}

	ev := append([]report.Evidence(nil), doc.Evidence...)
	sort.SliceStable(ev, func(a, b int) bool { return ev[a].Risk > ev[b].Risk })
	if len(ev) > maxPDFEvidence {
		ev = ev[:maxPDFEvidence]
	}
	sort.SliceStable(ev, func(a, b int) bool { return ev[a].TimeS < ev[b].TimeS })
	if len(ev) > 0 {
		pdf.AddPage()
		pdf.SetFont("Helvetica", "B", 11)
		pdf.CellFormat(0, 7, tr("Evidence"), "", 1, "L", false, 0, "")
	}
	for _, e := range ev {
		if pdf.GetY() > 200 {
			pdf.AddPage()
		}
		pdf.SetFont("Helvetica", "B", 9)
		pdf.CellFormat(0, 5, tr(fmt.Sprintf("%s at %.1f s (frame %d): %s %.2f, driven by %s", fmtClock(e.TimeS), e.TimeS, e.Frame, e.Level, e.Risk, e.Signal)), "", 1, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 8.5)
		pdf.MultiCell(0, 4.5, tr(e.Reason), "", "L", false)
		if img := filepath.Join(dir, filepath.FromSlash(e.Marked)); e.Marked != "" {
			y := pdf.GetY() + 1
			opt := fpdf.ImageOptions{ImageType: "PNG", ReadDpi: false}
			info := pdf.RegisterImageOptions(img, opt)
			if pdf.Ok() && info != nil {
				w := 90.0
				h := w * info.Height() / math.Max(info.Width(), 1)
				pdf.ImageOptions(img, pdf.GetX(), y, w, h, false, opt, 0, "")
				pdf.SetY(y + h + 3)
			}
		}
		if err := pdf.Error(); err != nil {
			return nil, fmt.Errorf("PDF report: evidence %s: %w", e.Marked, err)
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("PDF report: %w", err)
	}
	return buf.Bytes(), nil
}

// plotSignals draws every signal's window score and the fused risk over
// time, with the medium and high thresholds shaded.
func plotSignals(pdf *fpdf.Fpdf, doc *report.Document, tr func(string) string) {
	const w, h = 180.0, 55.0
	x0, y0 := pdf.GetX(), pdf.GetY()
	end := doc.Input.Duration
	for _, win := range doc.Windows {
		end = math.Max(end, win.EndS)
	}
	if end <= 0 {
		end = 1
	}
	px := func(t float64) float64 { return x0 + w*t/end }
	py := func(v float64) float64 { return y0 + h*(1-math.Max(0, math.Min(1, v))) }
	pdf.SetFillColor(255, 243, 205)
	pdf.Rect(x0, py(doc.Thresholds.High), w, py(doc.Thresholds.Medium)-py(doc.Thresholds.High), "F")
	pdf.SetFillColor(248, 215, 218)
	pdf.Rect(x0, y0, w, py(doc.Thresholds.High)-y0, "F")
	pdf.SetDrawColor(120, 120, 120)
	pdf.SetLineWidth(0.2)
	pdf.Rect(x0, y0, w, h, "D")
	for i, name := range SignalNames {
		c := signalColours[i]
		pdf.SetDrawColor(c[0], c[1], c[2])
		pdf.SetLineWidth(0.3)
		var prevX, prevY float64
		first := true
		for _, win := range doc.Windows {
			v, ok := win.Scores[name]
			if !ok {
				first = true
				continue
			}
			x, y := px(win.EndS), py(v)
			if !first {
				pdf.Line(prevX, prevY, x, y)
			}
			prevX, prevY, first = x, y, false
		}
	}
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(0.6)
	for i := 1; i < len(doc.Windows); i++ {
		a, b := doc.Windows[i-1], doc.Windows[i]
		pdf.Line(px(a.EndS), py(a.Risk), px(b.EndS), py(b.Risk))
	}
	pdf.SetLineWidth(0.2)
	pdf.SetFont("Helvetica", "", 7)
	for _, v := range []float64{0, 0.5, 1} {
		pdf.Text(x0-5, py(v)+1, fmt.Sprintf("%.1f", v))
	}
	for k := 0; k <= 4; k++ {
		t := end * float64(k) / 4
		pdf.Text(px(t)-3, y0+h+3.5, tr(fmtClock(t)))
	}
	pdf.SetY(y0 + h + 6)
	pdf.SetFont("Helvetica", "", 7.5)
	pdf.CellFormat(0, 4, tr("Black: fused risk. Coloured: each signal, per window. Shaded: medium and high."), "", 1, "L", false, 0, "")
	pdf.Ln(2)
}

func levelColour(level string) (int, int, int) {
	switch level {
	case report.LevelHigh:
		return 176, 0, 32
	case report.LevelMedium:
		return 179, 98, 0
	}
	return 30, 110, 60
}

// fmtClock formats seconds as m:ss.
func fmtClock(s float64) string {
	if s < 0 || math.IsNaN(s) {
		s = 0
	}
	m := int(s) / 60
	return fmt.Sprintf("%d:%02d", m, int(s)%60)
}
