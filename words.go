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
		"account", "agent request", "transfer", "batch", "withdrawal", "deposit", "refund", "proof", "dispute", "user", "currency", "country", "rate", "rule", "quote",
		"alert", "open batch", "transfer for quote", "invite code", "idempotency key", "rule version",
		// states: AccountStatus, TransferStatus, BatchStatus, WithdrawalStatus, RuleStatus; a
		// state shared by several lifecycles is one word
		"requested", "approved", "rejected", "frozen", "quoted", "pending", "taken", "completed",
		"cancelled", "expired", "open", "closed", "draft", "published", "retired",
		"declared", "confirmed", "reversed", "posted",
		// DisputeStatus: "opened" and "refunded" are feminine in Spanish (disputa)
		"opened", "refunded",
		// RefundKind; where a refund's cost fell
		"reversal", "house",
		// UserStatus
		"active",
		// enums: Role, UserType
		"client", "agent", "cashier", "superuser",
		// entities the audit log names that people do not otherwise see
		"setting",
		// actors that are not people
		"system",
		// fields a person types (ValidateText)
		"display name", "phone", "beneficiary name", "bank", "account number", "document ID",
		"reason", "reference", "name", "payment method",
	} {
		word(s)
	}
	// Codes whose English is not the code itself: rounding modes and the
	// actions, which the audit log and refusals name.
	for code, english := range codeWords {
		words[code] = Word(Messages.Text("word_"+code, english))
	}
}

// codeWords names the codes a person reads, by code.
var codeWords = map[string]string{
	"discord":   "Discord",
	"half_even": "half to even",
	"half_up":   "half up",
	"down":      "toward zero",

	"catalog.read":          "read the catalog",
	"user.register":         "register",
	"user.update_profile":   "change a profile",
	"user.view_own":         "see one's own data",
	"account.request":       "request an account",
	"quote.request":         "request a quote",
	"transfer.create":       "create a transfer",
	"transfer.cancel":       "cancel a transfer",
	"withdrawal.request":    "request a withdrawal",
	"deposit.declare":       "declare a deposit",
	"deposit.decide":        "confirm or reject a deposit",
	"transfer.refund":       "refund or reverse a transfer",
	"dispute.open":          "dispute a transfer",
	"dispute.resolve":       "resolve a dispute",
	"batch.open":            "open a batch",
	"batch.close":           "close a batch",
	"transfer.take":         "take a transfer",
	"transfer.complete":     "complete a transfer",
	"transfer.reject":       "reject a transfer",
	"account.decide":        "decide on an account",
	"withdrawal.decide":     "decide on a withdrawal",
	"rate.set":              "set a rate",
	"currency.manage":       "manage currencies",
	"country.manage":        "manage countries",
	"rules.manage":          "manage rules",
	"config.set":            "change the configuration",
	"role.assign":           "manage users and roles",
	"transfer.expire":       "expire transfers",
	"transfer.read":         "read a transfer",
	"agent.request":         "ask to become an agent",
	"agent.decide":          "decide on a request to become an agent",
	"audit.read":            "read the audit log",
	"reports.export":        "export reports",
	"outbox.deliver":        "deliver notices",
	"panel.lang":            "change the panel's language",
	"panel.login":           "log in to the panel",
	"panel.logout":          "log out of the panel",
	"panel.revoke_sessions": "revoke panel sessions",
	"panel.bootstrap_link":  "issue the first login link",
	"alert.check":           "check the liquidity alerts",
	"operations.read":       "read the operating figures",
}

// WordFor returns the vocabulary word for s, or s itself when it is not
// one (an ID, a name).
func WordFor(s string) any {
	if w, ok := words[s]; ok {
		return w
	}
	return s
}
