package cambista

import (
	"context"
	"strings"
	"time"

	"github.com/cambista/cambista/money"
)

// Currency is a currency the business handles.
type Currency struct {
	money.Currency
	Name    string
	Enabled bool
}

// Validate checks code, exponent and name.
func (c *Currency) Validate() error {
	if err := c.Currency.Validate(); err != nil {
		return Errorf(EINVALID, MsgBadCurrency.Msg("Code", c.Code))
	}
	if strings.TrimSpace(c.Name) == "" || len(c.Name) > 60 {
		return Errorf(EINVALID, MsgBadName.Msg())
	}
	return ValidateText("name", c.Name, false)
}

// Country is a country clients send from or to.
type Country struct {
	Code     string // ISO 3166-1 alpha-2, upper case
	Name     string
	Currency string // the currency paid out there by default
	Enabled  bool
}

// Validate checks the country's fields.
func (c *Country) Validate() error {
	if err := ValidateCountryCode(c.Code); err != nil {
		return err
	}
	if strings.TrimSpace(c.Name) == "" || len(c.Name) > 60 {
		return Errorf(EINVALID, MsgBadName.Msg())
	}
	return ValidateText("name", c.Name, false)
}

// ValidateCountryCode accepts two upper-case ASCII letters.
func ValidateCountryCode(code string) error {
	if len(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' {
		return Errorf(EINVALID, MsgBadCountry.Msg("Input", code))
	}
	return nil
}

// Rate is the price of a pair: Value units of Quote per one unit of Base,
// valid from ValidFrom until a newer rate of the pair takes over. Rates are
// never updated; history is kept.
type Rate struct {
	ID        ID
	Base      string
	Quote     string
	Value     money.Rate
	SetBy     UserID
	ValidFrom time.Time
	CreatedAt time.Time
}

// Pair names a currency pair "USD/VES".
func Pair(base, quote string) string { return base + "/" + quote }

// CurrencyStore keeps the currencies the business trades.
type CurrencyStore interface {
	// CreateCurrency inserts c; ECONFLICT if the code exists.
	CreateCurrency(ctx context.Context, c *Currency) error
	// Currency returns the currency with that code; ENOTFOUND.
	Currency(ctx context.Context, code string) (*Currency, error)
	// UpdateCurrency writes c's name, rounding and enabled flag; ENOTFOUND.
	UpdateCurrency(ctx context.Context, c *Currency) error
	// Currencies lists every currency by code.
	Currencies(ctx context.Context) ([]*Currency, error)
}

// CountryStore keeps the countries transfers go from and to.
type CountryStore interface {
	// CreateCountry inserts c; ECONFLICT if the code exists.
	CreateCountry(ctx context.Context, c *Country) error
	// Country returns the country with that code; ENOTFOUND.
	Country(ctx context.Context, code string) (*Country, error)
	// UpdateCountry writes c's name, currency and enabled flag; ENOTFOUND.
	UpdateCountry(ctx context.Context, c *Country) error
	// Countries lists every country by code.
	Countries(ctx context.Context) ([]*Country, error)
}

// RateStore keeps each pair's rate history.
type RateStore interface {
	// CreateRate appends a rate to its pair's history and sets r.ID.
	CreateRate(ctx context.Context, r *Rate) error
	// CurrentRate returns the newest rate of the pair valid at t; ENOTFOUND.
	CurrentRate(ctx context.Context, base, quote string, t time.Time) (*Rate, error)
	// CurrentRates returns the rate in force at t of every pair, by pair.
	CurrentRates(ctx context.Context, t time.Time) ([]*Rate, error)
	// Rates returns the pair's history, newest first, at most limit rows.
	Rates(ctx context.Context, base, quote string, limit int) ([]*Rate, error)
}
