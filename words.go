package cambista

// Word is a vocabulary word carried as message data — the name of an
// entity, of a state or of an enum value — so that the reader sees it in
// their language: "Esta transferencia está rechazada", not "Este transfer
// está rejected". Adapters name states and enum values with these words
// too (i18n.Word), so each is translated once.
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
		"account", "agent request", "transfer", "batch", "withdrawal", "user", "currency", "country", "rate", "rule", "quote",
		"open batch", "transfer for quote", "invite code", "idempotency key", "rule version",
		// states: AccountStatus, TransferStatus, BatchStatus, WithdrawalStatus, RuleStatus; a
		// state shared by several lifecycles is one word
		"requested", "approved", "rejected", "frozen", "quoted", "pending", "taken", "completed",
		"cancelled", "expired", "open", "closed", "draft", "published", "retired",
		// enums: Role, UserType
		"client", "agent", "cashier", "superuser",
		// fields a person types (ValidateText)
		"display name", "phone", "beneficiary name", "bank", "account number", "document ID",
		"reason", "reference", "name",
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
