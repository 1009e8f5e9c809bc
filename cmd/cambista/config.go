package main

import (
	"crypto/ed25519"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/store"

	"github.com/shopspring/decimal"
)

// Config is every setting, from CAMBISTA_* variables and the matching
// flags (a flag wins over its variable).
type Config struct {
	DB               string
	DBRead           string // a PostgreSQL read replica's URL; empty for none
	HTTPAddr         string
	MetricsAddr      string
	LogFormat        string
	LogLevel         slog.Level
	Bootstrap        []cambista.UserID
	DiscordToken     string
	DiscordAppID     string
	DiscordGuildID   string
	DiscordPublicKey ed25519.PublicKey
	DiscordMode      string // gateway, http, playground or off
	DiscordAPIURL    string
	DiscordCDNURL    string
	// DiscordBudget is the REST calls per second the process makes.
	DiscordBudget   float64
	DiscordLang     i18n.Lang
	PublicURL       string
	DiscordOAuthURL string
	DiscordClientID string
	DiscordSecret   string
	// TrustedProxies are the load balancers whose X-Forwarded-For names
	// the client, for the panel's login rate limit.
	TrustedProxies  []netip.Prefix
	ShutdownTimeout time.Duration
	QuoteTTL        time.Duration
	Demo            bool
	PendingTTL      time.Duration
	AlertInterval   time.Duration
	NotionToken     string
	NotionAPIURL    string
	// NotionDatabases maps each entity mirrored to Notion to its
	// database's ID; empty when Notion is off.
	NotionDatabases map[string]string
	// RateConfirmPercent is how far a new rate may move from the current
	// one before it must be confirmed.
	RateConfirmPercent decimal.Decimal
	// DepositSuperuserAbove and RefundTwoSuperusersAbove are, per
	// currency, the amounts above which a deposit needs a superuser and a
	// refund a second superuser.
	DepositSuperuserAbove    map[string]decimal.Decimal
	RefundTwoSuperusersAbove map[string]decimal.Decimal

	logLevelText   string
	bootstrapText  string
	shutdownText   string
	publicKeyText  string
	langText       string
	quoteTTLText   string
	demoText       string
	pendingTTLText string
	budgetText     string
	alertText      string
	notionDBText   [5]string // batches, accounts, withdrawals, deposits, refunds
	rateJumpText   string
	proxiesText    string
	depositText    string
	refundText     string
}

// setting is one variable and its flag. A boolean setting's flag may be
// given bare (--demo).
type setting struct {
	env, flag, def, help string
	into                 *string
	boolean              bool
}

// boolText is a boolean setting's flag: bare it means true, and the text
// is parsed with the rest of the settings in validate.
type boolText struct{ p *string }

func (b boolText) String() string {
	if b.p == nil {
		return ""
	}
	return *b.p
}
func (b boolText) Set(v string) error { *b.p = v; return nil }
func (b boolText) IsBoolFlag() bool   { return true }

func (c *Config) settings() []setting {
	return []setting{
		{"CAMBISTA_DB", "db", "cambista.db", "SQLite file path, or a postgres:// URL", &c.DB, false},
		{"CAMBISTA_DB_READ", "db-read", "", "postgres:// URL of a streaming read replica of CAMBISTA_DB for reports, statements and the dashboard; empty for none", &c.DBRead, false},
		{"CAMBISTA_HTTP_ADDR", "http-addr", "127.0.0.1:8080", "address the HTTP server listens on (host:port)", &c.HTTPAddr, false},
		{"CAMBISTA_METRICS_ADDR", "metrics-addr", "", "address of a listener for /metrics, /healthz and /readyz alone (host:port); /metrics then leaves CAMBISTA_HTTP_ADDR, and worker gets probes", &c.MetricsAddr, false},
		{"CAMBISTA_LOG_FORMAT", "log-format", "json", "log format: json or text", &c.LogFormat, false},
		{"CAMBISTA_LOG_LEVEL", "log-level", "info", "log level: debug, info, warn or error", &c.logLevelText, false},
		{"CAMBISTA_BOOTSTRAP_SUPERUSER", "bootstrap-superuser", "", "comma-separated Discord user IDs who are superusers from the start", &c.bootstrapText, false},
		{"CAMBISTA_DISCORD_TOKEN", "discord-token", "", "Discord bot token; the bot is off without one", &c.DiscordToken, false},
		{"CAMBISTA_DISCORD_APP_ID", "discord-app-id", "", "Discord application ID (needed with a token)", &c.DiscordAppID, false},
		{"CAMBISTA_DISCORD_GUILD_ID", "discord-guild-id", "", "guild (server) whose commands are registered; global when empty", &c.DiscordGuildID, false},
		{"CAMBISTA_DISCORD_PUBLIC_KEY", "discord-public-key", "", "the application's public key (hex), to verify HTTP interactions", &c.publicKeyText, false},
		{"CAMBISTA_DISCORD_MODE", "discord-mode", "", "gateway, http, playground or off (default: gateway with a token, playground without)", &c.DiscordMode, false},
		{"CAMBISTA_DISCORD_API_URL", "discord-api-url", "", "base URL of the Discord REST API, for rate-limit proxies and tests (default Discord's own)", &c.DiscordAPIURL, false},
		{"CAMBISTA_DISCORD_CDN_URL", "discord-cdn-url", "", "base URL attachments (proofs of payment) may be downloaded from besides Discord's CDN (cdn.discordapp.com, media.discordapp.net), for proxies and tests", &c.DiscordCDNURL, false},
		{"CAMBISTA_DISCORD_REST_BUDGET", "discord-rest-budget", "50", "REST calls per second the process makes to Discord at most; Discord allows a bot about 50 in all, so processes sharing a bot divide it", &c.budgetText, false},
		{"CAMBISTA_PUBLIC_URL", "public-url", "", "the admin panel's address as browsers reach it (scheme://host[:port]); cookies are Secure when https; by default http:// and CAMBISTA_HTTP_ADDR", &c.PublicURL, false},
		{"CAMBISTA_DISCORD_OAUTH_URL", "discord-oauth-url", "https://discord.com", "base URL of Discord's OAuth2 endpoints, for the panel's login (tests use a fake)", &c.DiscordOAuthURL, false},
		{"CAMBISTA_DISCORD_CLIENT_ID", "discord-client-id", "", "the Discord application's OAuth2 client ID, for the panel's login", &c.DiscordClientID, false},
		{"CAMBISTA_DISCORD_CLIENT_SECRET", "discord-client-secret", "", "the Discord application's OAuth2 client secret, for the panel's login", &c.DiscordSecret, false},
		{"CAMBISTA_TRUSTED_PROXIES", "trusted-proxies", "", "comma-separated addresses or CIDR networks of the load balancers in front; behind them the client is the right-most X-Forwarded-For address not theirs (login rate limit)", &c.proxiesText, false},
		{"CAMBISTA_DISCORD_LANG", "discord-lang", "es", "language for users whose Discord locale is not Spanish, and for channel cards: es or en", &c.langText, false},
		{"CAMBISTA_DEMO", "demo", "false", "serve: fill an empty database with a week of sample business at start (true or false; a bare --demo is true)", &c.demoText, true},
		{"CAMBISTA_QUOTE_TTL", "quote-ttl", "10m", "how long a quote can be turned into a transfer", &c.quoteTTLText, false},
		{"CAMBISTA_PENDING_TTL", "pending-ttl", "24h", "how long a transfer waits for a cashier before it expires", &c.pendingTTLText, false},
		{"CAMBISTA_ALERT_INTERVAL", "alert-interval", "1m", "how often serve checks the liquidity and exposure alerts", &c.alertText, false},
		{"CAMBISTA_NOTION_TOKEN", "notion-token", "", "Notion integration token; Notion pages are off without one (see docs/notion.md)", &c.NotionToken, false},
		{"CAMBISTA_NOTION_BATCHES_DB", "notion-batches-db", "", "ID of the Notion database of closed batches", &c.notionDBText[0], false},
		{"CAMBISTA_NOTION_ACCOUNTS_DB", "notion-accounts-db", "", "ID of the Notion database of account requests", &c.notionDBText[1], false},
		{"CAMBISTA_NOTION_WITHDRAWALS_DB", "notion-withdrawals-db", "", "ID of the Notion database of withdrawals", &c.notionDBText[2], false},
		{"CAMBISTA_NOTION_DEPOSITS_DB", "notion-deposits-db", "", "ID of the Notion database of deposits", &c.notionDBText[3], false},
		{"CAMBISTA_NOTION_REFUNDS_DB", "notion-refunds-db", "", "ID of the Notion database of refunds and reversals", &c.notionDBText[4], false},
		{"CAMBISTA_NOTION_API_URL", "notion-api-url", "", "base URL of Notion's API, for tests (default Notion's own)", &c.NotionAPIURL, false},
		{"CAMBISTA_RATE_CONFIRM_PERCENT", "rate-confirm-percent", "10", "a new rate further than this percent from the current one must be confirmed", &c.rateJumpText, false},
		{"CAMBISTA_DEPOSIT_SUPERUSER_ABOVE", "deposit-superuser-above", "", "per currency, the amount above which a deposit needs a superuser's confirmation, not a cashier's: USD 1000, VES 40000", &c.depositText, false},
		{"CAMBISTA_REFUND_TWO_SUPERUSERS_ABOVE", "refund-two-superusers-above", "", "per currency, the amount above which a refund or reversal needs a second superuser: USD 500", &c.refundText, false},
		{"CAMBISTA_SHUTDOWN_TIMEOUT", "shutdown-timeout", "15s", "how long serve, web and worker wait for work in flight (requests, interactions, a delivery) when stopping", &c.shutdownText, false},
	}
}

// LoadConfig reads the environment, then the flags in args, and validates
// the result. It returns the arguments left after the flags.
func LoadConfig(name string, args []string, getenv func(string) string, stderr io.Writer) (*Config, []string, error) {
	c := &Config{}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	for _, s := range c.settings() {
		// The flag's default is the built-in one: the usage text printed on
		// -h or a bad flag shows it, and must never show a value from the
		// environment (a token, a secret, a database password).
		*s.into = s.def
		if s.boolean {
			fs.Var(boolText{s.into}, s.flag, s.help+" ("+s.env+")")
		} else {
			fs.StringVar(s.into, s.flag, s.def, s.help+" ("+s.env+")")
		}
		if e := getenv(s.env); e != "" {
			*s.into = e
		}
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	if err := c.validate(); err != nil {
		return nil, nil, err
	}
	return c, fs.Args(), nil
}

func (c *Config) validate() error {
	if strings.TrimSpace(c.DB) == "" {
		return fmt.Errorf("CAMBISTA_DB is empty: give a SQLite file path such as cambista.db, or a postgres:// URL")
	}
	if keyValueDSN.MatchString(c.DB) {
		// Taken as a file name, it would put the password in a file's name
		// and in the logs.
		return fmt.Errorf("CAMBISTA_DB looks like a PostgreSQL key/value connection string (host=… password=…): give it as a URL, postgres://user:password@host:5432/dbname")
	}
	if store.IsPostgres(c.DB) {
		if _, err := url.Parse(c.DB); err != nil {
			return fmt.Errorf("CAMBISTA_DB is not a valid PostgreSQL URL: expected postgres://user:password@host:5432/dbname")
		}
	}
	if c.DBRead != "" {
		if keyValueDSN.MatchString(c.DBRead) {
			return fmt.Errorf("CAMBISTA_DB_READ looks like a PostgreSQL key/value connection string (host=… password=…): give it as a URL, postgres://user:password@host:5432/dbname")
		}
		if !store.IsPostgres(c.DB) || !store.IsPostgres(c.DBRead) {
			return fmt.Errorf("CAMBISTA_DB_READ needs PostgreSQL: give it, and CAMBISTA_DB, as postgres:// URLs, or leave it empty")
		}
		if _, err := url.Parse(c.DBRead); err != nil {
			return fmt.Errorf("CAMBISTA_DB_READ is not a valid PostgreSQL URL: expected postgres://user:password@host:5432/dbname")
		}
	}
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		return fmt.Errorf("CAMBISTA_HTTP_ADDR=%q: expected host:port, for example 127.0.0.1:8080 or :8080", c.HTTPAddr)
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return fmt.Errorf("CAMBISTA_METRICS_ADDR=%q: expected host:port, for example :9090, or empty to serve /metrics on CAMBISTA_HTTP_ADDR", c.MetricsAddr)
		}
	}
	switch c.LogFormat {
	case "json", "text":
	default:
		return fmt.Errorf("CAMBISTA_LOG_FORMAT=%q: expected json or text", c.LogFormat)
	}
	if err := c.LogLevel.UnmarshalText([]byte(c.logLevelText)); err != nil {
		return fmt.Errorf("CAMBISTA_LOG_LEVEL=%q: expected debug, info, warn or error", c.logLevelText)
	}
	c.Bootstrap = nil
	for _, id := range strings.Split(c.bootstrapText, ",") {
		id = strings.TrimSpace(id)
		if id == "" {
			continue
		}
		if cambista.ValidateUserID(cambista.UserID(id)) != nil {
			return fmt.Errorf("CAMBISTA_BOOTSTRAP_SUPERUSER: %q is not a Discord user ID; expected numbers separated by commas, such as 123456789012345678", id)
		}
		c.Bootstrap = append(c.Bootstrap, cambista.UserID(id))
	}
	for _, d := range []struct {
		env  string
		text string
		into *time.Duration
	}{
		{"CAMBISTA_SHUTDOWN_TIMEOUT", c.shutdownText, &c.ShutdownTimeout},
		{"CAMBISTA_QUOTE_TTL", c.quoteTTLText, &c.QuoteTTL},
		{"CAMBISTA_PENDING_TTL", c.pendingTTLText, &c.PendingTTL},
		{"CAMBISTA_ALERT_INTERVAL", c.alertText, &c.AlertInterval},
	} {
		v, err := time.ParseDuration(d.text)
		if err != nil || v <= 0 {
			return fmt.Errorf("%s=%q: expected a positive duration such as 15s, 10m or 24h", d.env, d.text)
		}
		*d.into = v
	}
	jump, err := decimal.NewFromString(c.rateJumpText)
	if err != nil || !jump.IsPositive() {
		return fmt.Errorf("CAMBISTA_RATE_CONFIRM_PERCENT=%q: expected a positive percent such as 10 or 2.5", c.rateJumpText)
	}
	c.RateConfirmPercent = jump
	if c.DepositSuperuserAbove, err = amountsByCurrency("CAMBISTA_DEPOSIT_SUPERUSER_ABOVE", c.depositText); err != nil {
		return err
	}
	if c.RefundTwoSuperusersAbove, err = amountsByCurrency("CAMBISTA_REFUND_TWO_SUPERUSERS_ABOVE", c.refundText); err != nil {
		return err
	}
	if err := c.validatePanel(); err != nil {
		return err
	}
	if err := c.validateNotion(); err != nil {
		return err
	}
	budget, err := strconv.ParseFloat(c.budgetText, 64)
	if err != nil || budget <= 0 || budget > 1000 {
		return fmt.Errorf("CAMBISTA_DISCORD_REST_BUDGET=%q: expected calls per second, more than 0 and at most 1000", c.budgetText)
	}
	c.DiscordBudget = budget
	demo, err := strconv.ParseBool(c.demoText)
	if err != nil {
		return fmt.Errorf("CAMBISTA_DEMO=%q: expected true or false", c.demoText)
	}
	c.Demo = demo
	return c.validateDiscord()
}

// notionEntities are the entities whose pages Notion keeps, in the order of
// their settings.
var notionEntities = [5]struct{ entity, env string }{
	{"batch", "CAMBISTA_NOTION_BATCHES_DB"}, {"account", "CAMBISTA_NOTION_ACCOUNTS_DB"}, {"withdrawal", "CAMBISTA_NOTION_WITHDRAWALS_DB"},
	{"deposit", "CAMBISTA_NOTION_DEPOSITS_DB"}, {"refund", "CAMBISTA_NOTION_REFUNDS_DB"},
}

// notionID is a Notion database ID: 32 hexadecimal digits, with or
// without the dashes of a UUID.
var notionID = regexp.MustCompile(`^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$`)

func (c *Config) validateNotion() error {
	c.NotionDatabases = nil
	for i, n := range notionEntities {
		id := strings.TrimSpace(c.notionDBText[i])
		if id == "" {
			continue
		}
		if !notionID.MatchString(id) {
			return fmt.Errorf("%s=%q: expected a Notion database ID, the 32 hexadecimal characters in the database's link", n.env, id)
		}
		if c.NotionToken == "" {
			return fmt.Errorf("%s needs CAMBISTA_NOTION_TOKEN, the token of the Notion integration the database is shared with", n.env)
		}
		if c.NotionDatabases == nil {
			c.NotionDatabases = map[string]string{}
		}
		c.NotionDatabases[n.entity] = id
	}
	if c.NotionToken != "" && c.NotionDatabases == nil {
		return fmt.Errorf("CAMBISTA_NOTION_TOKEN is set but no database is: set CAMBISTA_NOTION_BATCHES_DB, CAMBISTA_NOTION_ACCOUNTS_DB or CAMBISTA_NOTION_WITHDRAWALS_DB")
	}
	return nil
}

func (c *Config) validateDiscord() error {
	lang, err := i18n.Parse(c.langText)
	if err != nil {
		return fmt.Errorf("CAMBISTA_DISCORD_LANG=%q: expected es or en", c.langText)
	}
	c.DiscordLang = lang
	if c.DiscordMode == "" {
		c.DiscordMode = "playground"
		if c.DiscordToken != "" {
			c.DiscordMode = "gateway"
		}
	}
	switch c.DiscordMode {
	case "off":
		return nil
	case "playground":
		// Never both: a process with a real bot has no stand-in to act
		// in its name.
		if c.DiscordToken != "" {
			return fmt.Errorf("CAMBISTA_DISCORD_MODE=playground runs without Discord: unset CAMBISTA_DISCORD_TOKEN, or choose gateway or http")
		}
		return nil
	case "gateway", "http":
	default:
		return fmt.Errorf("CAMBISTA_DISCORD_MODE=%q: expected gateway, http, playground or off", c.DiscordMode)
	}
	if c.DiscordToken == "" {
		return fmt.Errorf("CAMBISTA_DISCORD_MODE=%s needs CAMBISTA_DISCORD_TOKEN, the bot token from the Discord developer portal", c.DiscordMode)
	}
	if cambista.ValidateUserID(cambista.UserID(c.DiscordAppID)) != nil {
		return fmt.Errorf("CAMBISTA_DISCORD_APP_ID=%q: expected the application's numeric ID from the Discord developer portal", c.DiscordAppID)
	}
	if c.DiscordGuildID != "" && cambista.ValidateUserID(cambista.UserID(c.DiscordGuildID)) != nil {
		return fmt.Errorf("CAMBISTA_DISCORD_GUILD_ID=%q: expected the server's numeric ID (or leave it empty for global commands)", c.DiscordGuildID)
	}
	if c.DiscordMode == "http" || c.publicKeyText != "" {
		key, err := hex.DecodeString(c.publicKeyText)
		if err != nil || len(key) != ed25519.PublicKeySize {
			return fmt.Errorf("CAMBISTA_DISCORD_PUBLIC_KEY: expected the application's public key, 64 hexadecimal characters")
		}
		c.DiscordPublicKey = key
	}
	return nil
}

// LogValue keeps secrets out of the logs: the Discord token and any
// password in the database URL.
func (c *Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("db", redactURL(c.DB)),
		slog.String("db_read", redactURL(c.DBRead)),
		slog.String("http_addr", c.HTTPAddr),
		slog.String("metrics_addr", c.MetricsAddr),
		slog.String("log_format", c.LogFormat),
		slog.String("log_level", c.LogLevel.String()),
		slog.Int("bootstrap_superusers", len(c.Bootstrap)),
		slog.Bool("discord_token_set", c.DiscordToken != ""),
		slog.String("discord_mode", c.DiscordMode),
		slog.String("discord_api_url", c.DiscordAPIURL),
		slog.String("discord_cdn_url", c.DiscordCDNURL),
		slog.Float64("discord_rest_budget", c.DiscordBudget),
		slog.String("public_url", c.PublicURL),
		slog.Bool("discord_oauth_set", c.DiscordClientID != ""),
		slog.Int("notion_databases", len(c.NotionDatabases)),
	)
}

// keyValueDSN matches PostgreSQL's key/value connection strings
// ("host=db user=app password=…"), which cambista does not take.
var keyValueDSN = regexp.MustCompile(`(^|\s)(host|hostaddr|port|dbname|user|password|passfile|sslmode|service|connect_timeout)\s*=`)

// redactURL hides a PostgreSQL URL's password, in the user part or in the
// query (?password=…).
func redactURL(dsn string) string {
	if !store.IsPostgres(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable URL)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "REDACTED")
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "REDACTED")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// Usage lists every variable for the help text and the README.
func (c *Config) Usage(w io.Writer) {
	// Columns as wide as their widest cell, so they line up whatever a
	// setting's name or default.
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, s := range c.settings() {
		def := s.def
		if def == "" {
			def = "(empty)"
		}
		fmt.Fprintf(tw, "  %s\t--%s\tdefault %s\t%s\n", s.env, s.flag, def, s.help)
	}
	tw.Flush()
}

// currencyAmount is one "USD 1000" of a list of limits.
var currencyAmount = regexp.MustCompile(`^([A-Z]{3,5}) +([0-9]+(\.[0-9]+)?)$`)

// amountsByCurrency reads "USD 1000, VES 40000.50": a currency code and a
// non-negative amount (a dot for decimals), comma-separated; "" is none.
func amountsByCurrency(env, text string) (map[string]decimal.Decimal, error) {
	out := map[string]decimal.Decimal{}
	for part := range strings.SplitSeq(text, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		m := currencyAmount.FindStringSubmatch(strings.ToUpper(part))
		if m == nil {
			return nil, fmt.Errorf("%s=%q: expected currency codes with amounts, such as \"USD 1000, VES 40000\"", env, text)
		}
		if _, dup := out[m[1]]; dup {
			return nil, fmt.Errorf("%s=%q: %s is given twice", env, text, m[1])
		}
		out[m[1]] = decimal.RequireFromString(m[2])
	}
	return out, nil
}

// publicURL is the panel's address when CAMBISTA_PUBLIC_URL is unset: the
// one listened on, with a loopback host for an unspecified one (":8080").
func publicURL(a *net.TCPAddr) string {
	host := a.IP.String()
	if a.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(a.Port))
}
