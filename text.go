package cambista

import (
	"strings"
	"unicode/utf8"
)

// ValidateText refuses, in what a person typed into field, what nobody can
// see or what changes how the text around it reads: invalid UTF-8, the C0
// and C1 control characters (NUL included, which PostgreSQL cannot store),
// and the bidirectional formatting characters, with which one name can be
// made to look like another in a list. Line breaks and tabs are allowed
// in multiline text (a reason) only. field is a vocabulary word (see
// words.go), so the message names it in the reader's language.
func ValidateText(field, s string, multiline bool) error {
	if !utf8.ValidString(s) {
		return Errorf(EINVALID, MsgControlChar.Msg("Field", WordFor(field)))
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if r < 0x20 || r >= 0x7f && r < 0xa0 || bidiControl(r) {
			return Errorf(EINVALID, MsgControlChar.Msg("Field", WordFor(field)))
		}
	}
	return nil
}

// bidiControl reports the Unicode bidirectional formatting characters:
// the marks (ALM, LRM, RLM), embeddings and overrides, and isolates.
func bidiControl(r rune) bool {
	return r == 0x061c || r == 0x200e || r == 0x200f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// Inert keeps a spreadsheet from running text as a formula: names and
// references are typed by users, and one starting with "=", "+", "-" or "@"
// would be evaluated when someone opens a CSV file with it (CSV injection).
func Inert(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
