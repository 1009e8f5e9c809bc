package cambista

// Word is a vocabulary word carried as message data — the name of an
// entity or of a state — so that the reader sees it in their language:
// "Esta transferencia está rechazada", not "Este transfer está rejected".
type Word MessageDef

// String is the English word, for logs and English messages.
func (w Word) String() string { return w.Text }

// words holds every vocabulary word by its English text.
var words = map[string]Word{}

func word(s string) {
	words[s] = Word(Messages.Text("word_"+s, s))
}

func init() {
	for _, s := range []string{
		// entities
		"account", "transfer", "batch", "withdrawal", "user", "currency", "country", "rate", "rule", "quote",
		"open batch", "transfer for quote", "invite code", "idempotency key", "rule version",
		// states
		"requested", "approved", "rejected", "frozen", "quoted", "pending", "taken", "completed",
		"cancelled", "expired", "open", "closed", "draft", "published", "retired",
	} {
		word(s)
	}
}

// WordFor returns the vocabulary word for s, or s itself when it is not
// one (an ID, a name).
func WordFor(s string) any {
	if w, ok := words[s]; ok {
		return w
	}
	return s
}
