package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/money"
	"github.com/shopspring/decimal"
)

// AddCurrency is a new currency.
type AddCurrency struct {
	Code     string
	Exponent int
	Name     string
	Rounding string // "half_even" (default), "half_up" or "down"
}

// AddCurrency adds an enabled currency.
func (s *Service) AddCurrency(ctx context.Context, key string, in AddCurrency) (*cambista.Currency, error) {
	return mutate(ctx, s, cambista.ActManageCurrency, key, in, func(c *call) (*cambista.Currency, error) {
		cur := &cambista.Currency{
			Currency: money.Currency{Code: strings.ToUpper(strings.TrimSpace(in.Code)), Exponent: in.Exponent},
			Name:     strings.TrimSpace(in.Name),
			Enabled:  true,
		}
		if in.Rounding != "" {
			m, err := money.ParseRoundingMode(in.Rounding)
			if err != nil {
				return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgBadRounding.Msg("Input", in.Rounding))
			}
			cur.Rounding = m
		}
		if err := cur.Validate(); err != nil {
			return nil, err
		}
		if err := c.tx.CreateCurrency(ctx, cur); err != nil {
			return nil, err
		}
		return cur, c.audit("currency", cur.Code, nil, cur)
	})
}

// Toggle names a currency or country to enable or disable.
type Toggle struct {
	Code    string
	Enabled bool
}

// SetCurrencyEnabled enables or disables a currency. A disabled currency
// keeps its history but takes no new quotes, accounts or rates.
func (s *Service) SetCurrencyEnabled(ctx context.Context, key string, in Toggle) (*cambista.Currency, error) {
	return mutate(ctx, s, cambista.ActManageCurrency, key, in, func(c *call) (*cambista.Currency, error) {
		cur, err := c.tx.Currency(ctx, strings.ToUpper(in.Code))
		if err != nil {
			return nil, err
		}
		if cur.Enabled == in.Enabled {
			return nil, unchanged(cambista.WordFor("currency").(cambista.Word), cur.Code, in.Enabled)
		}
		before := *cur
		cur.Enabled = in.Enabled
		if err := c.tx.UpdateCurrency(ctx, cur); err != nil {
			return nil, err
		}
		return cur, c.audit("currency", cur.Code, before, cur)
	})
}

// unchanged refuses a toggle that would change nothing: it is not done,
// and nothing is audited.
func unchanged(entity cambista.Word, code string, enabled bool) error {
	return cambista.Errorf(cambista.ECONFLICT, cambista.MsgAlreadySo.Msg("Entity", entity, "Code", code, "Enabled", enabled))
}

// AddCountry is a new country.
type AddCountry struct {
	Code     string
	Name     string
	Currency string
}

// AddCountry adds an enabled country paid out in an existing currency.
func (s *Service) AddCountry(ctx context.Context, key string, in AddCountry) (*cambista.Country, error) {
	return mutate(ctx, s, cambista.ActManageCountry, key, in, func(c *call) (*cambista.Country, error) {
		co := &cambista.Country{
			Code:     strings.ToUpper(strings.TrimSpace(in.Code)),
			Name:     strings.TrimSpace(in.Name),
			Currency: strings.ToUpper(strings.TrimSpace(in.Currency)),
			Enabled:  true,
		}
		if err := co.Validate(); err != nil {
			return nil, err
		}
		if _, err := enabledCurrency(c, co.Currency); err != nil {
			return nil, err
		}
		if err := c.tx.CreateCountry(ctx, co); err != nil {
			return nil, err
		}
		return co, c.audit("country", co.Code, nil, co)
	})
}

// SetCountryEnabled enables or disables a country.
func (s *Service) SetCountryEnabled(ctx context.Context, key string, in Toggle) (*cambista.Country, error) {
	return mutate(ctx, s, cambista.ActManageCountry, key, in, func(c *call) (*cambista.Country, error) {
		co, err := c.tx.Country(ctx, strings.ToUpper(in.Code))
		if err != nil {
			return nil, err
		}
		if co.Enabled == in.Enabled {
			return nil, unchanged(cambista.WordFor("country").(cambista.Word), co.Code, in.Enabled)
		}
		before := *co
		co.Enabled = in.Enabled
		if err := c.tx.UpdateCountry(ctx, co); err != nil {
			return nil, err
		}
		return co, c.audit("country", co.Code, before, co)
	})
}

// SetRate is a new rate for a pair: Value units of Quote per 1 Base.
type SetRate struct {
	Base      string
	Quote     string
	Value     string
	ValidFrom time.Time // now when zero
	// Confirmed accepts a rate that differs from the current one by more
	// than Config.RateConfirmPercent.
	Confirmed bool
}

// SetRate appends a rate to the pair's history; it becomes the current rate
// from ValidFrom on. A rate that moves more than Config.RateConfirmPercent
// away from the current one, unless Confirmed, is refused with ECONFLICT
// and MsgRateJump, which names both rates and the change: a slip of the
// decimal separator must not go live unseen.
func (s *Service) SetRate(ctx context.Context, key string, in SetRate) (*cambista.Rate, error) {
	in.Base, in.Quote = strings.ToUpper(strings.TrimSpace(in.Base)), strings.ToUpper(strings.TrimSpace(in.Quote))
	return mutate(ctx, s, cambista.ActSetRate, key, in, func(c *call) (*cambista.Rate, error) {
		if in.Base == in.Quote {
			return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgSamePair.Msg())
		}
		var pair [2]*cambista.Currency
		for i, code := range []string{in.Base, in.Quote} {
			cur, err := enabledCurrency(c, code)
			if err != nil {
				return nil, err
			}
			pair[i] = cur
		}
		v, err := parseRate(c.actor, in.Value)
		if err != nil {
			return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgBadRate.Msg("Input", in.Value, "Base", in.Base, "Quote", in.Quote))
		}
		// A rate that pays nothing for one unit of the base is a typo (or
		// the pair written the other way round): every quote would fail.
		unit := int64(1)
		for range pair[0].Exponent {
			unit *= 10
		}
		one := money.New(unit, pair[0].Currency)
		if paid, err := money.Convert(one, v, pair[1].Currency); err != nil || paid.Minor == 0 {
			return nil, cambista.Errorf(cambista.EINVALID, cambista.MsgRateTooSmall.Msg("Input", in.Value, "Base", in.Base, "Quote", in.Quote,
				"Smallest", money.New(1, pair[1].Currency)))
		}
		if !in.Confirmed {
			if err := s.checkRateJump(c, in.Base, in.Quote, v); err != nil {
				return nil, err
			}
		}
		r := &cambista.Rate{Base: in.Base, Quote: in.Quote, Value: v, SetBy: c.actor.UserID, ValidFrom: in.ValidFrom}
		if err := c.tx.CreateRate(ctx, r); err != nil {
			return nil, err
		}
		return r, c.audit("rate", r.ID, nil, r)
	})
}

// checkRateJump refuses a rate too far from the pair's current one.
func (s *Service) checkRateJump(c *call, base, quote string, v money.Rate) error {
	cur, err := c.tx.CurrentRate(c.ctx, base, quote, c.tx.Now())
	if cambista.ErrorCode(err) == cambista.ENOTFOUND {
		return nil // a new pair has nothing to compare with
	} else if err != nil {
		return err
	}
	old := cur.Value.Decimal()
	change := v.Decimal().Sub(old).Div(old).Mul(decimal.NewFromInt(100))
	if change.Abs().LessThanOrEqual(s.cfg.rateConfirmPercent()) {
		return nil
	}
	// Numbers, not texts: the reader's language writes them.
	return cambista.Errorf(cambista.ECONFLICT, cambista.MsgRateJump.Msg("Pair", cambista.Pair(base, quote),
		"Old", cur.Value, "New", v, "Change", change.Round(1), "Limit", s.cfg.rateConfirmPercent()))
}

// CurrentRate returns the pair's rate in force now.
func (s *Service) CurrentRate(ctx context.Context, base, quote string) (*cambista.Rate, error) {
	return view(ctx, s, cambista.ActRequestQuote, func(tx Tx, _ cambista.Actor) (*cambista.Rate, error) {
		r, err := tx.CurrentRate(ctx, strings.ToUpper(base), strings.ToUpper(quote), tx.Now())
		if cambista.ErrorCode(err) == cambista.ENOTFOUND {
			return nil, cambista.Errorf(cambista.ENOTFOUND, cambista.MsgNoRate.Msg("Pair", cambista.Pair(base, quote)))
		}
		return r, err
	})
}

// RateHistory returns the pair's rates, newest first.
func (s *Service) RateHistory(ctx context.Context, base, quote string, limit int) ([]*cambista.Rate, error) {
	return view(ctx, s, cambista.ActRequestQuote, func(tx Tx, _ cambista.Actor) ([]*cambista.Rate, error) {
		return tx.Rates(ctx, strings.ToUpper(base), strings.ToUpper(quote), limit)
	})
}

// Currencies lists every currency.
func (s *Service) Currencies(ctx context.Context) ([]*cambista.Currency, error) {
	return view(ctx, s, cambista.ActRequestQuote, func(tx Tx, _ cambista.Actor) ([]*cambista.Currency, error) {
		return tx.Currencies(ctx)
	})
}

// HasBusiness reports whether the business has started: whether any
// currency is defined. A fresh install has none, and only then may the
// demo fill it. It tells nothing else, so it needs no actor: it runs at
// start, before anyone acts.
func (s *Service) HasBusiness(ctx context.Context) (bool, error) {
	var n int
	err := s.store.View(ctx, func(tx Tx) error {
		cs, err := tx.Currencies(ctx)
		n = len(cs)
		return err
	})
	return n > 0, err
}

// Countries lists every country.
func (s *Service) Countries(ctx context.Context) ([]*cambista.Country, error) {
	return view(ctx, s, cambista.ActRequestQuote, func(tx Tx, _ cambista.Actor) ([]*cambista.Country, error) {
		return tx.Countries(ctx)
	})
}

// Catalog is what anyone may know of the business's offer.
type Catalog struct {
	Currencies []*cambista.Currency // the enabled ones
	Countries  []*cambista.Country  // the enabled ones
}

// Catalog returns the enabled currencies and countries. Anyone may read
// it, registered or not (cambista.ActReadCatalog): the roles panel and the
// commands' autocomplete offer them to people who may not have registered.
func (s *Service) Catalog(ctx context.Context) (*Catalog, error) {
	return view(ctx, s, cambista.ActReadCatalog, func(tx Tx, _ cambista.Actor) (*Catalog, error) {
		tx.Prefetch(ctx, CurrenciesRead(), CountriesRead())
		currencies, err := tx.Currencies(ctx)
		if err != nil {
			return nil, err
		}
		countries, err := tx.Countries(ctx)
		if err != nil {
			return nil, err
		}
		return &Catalog{
			Currencies: slices.DeleteFunc(currencies, func(c *cambista.Currency) bool { return !c.Enabled }),
			Countries:  slices.DeleteFunc(countries, func(c *cambista.Country) bool { return !c.Enabled }),
		}, nil
	})
}

// currencies returns every currency, read once per transaction.
func (c *call) currencies() ([]*cambista.Currency, error) {
	if !c.currenciesRead {
		all, err := c.tx.Currencies(c.ctx)
		if err != nil {
			return nil, err
		}
		c.currencyList, c.currenciesRead = all, true
	}
	return c.currencyList, nil
}

// countries returns every country, read once per transaction.
func (c *call) countries() ([]*cambista.Country, error) {
	if !c.countriesRead {
		all, err := c.tx.Countries(c.ctx)
		if err != nil {
			return nil, err
		}
		c.countryList, c.countriesRead = all, true
	}
	return c.countryList, nil
}

func enabledCurrency(c *call, code string) (*cambista.Currency, error) {
	all, err := c.currencies()
	if err != nil {
		return nil, err
	}
	for _, cur := range all {
		if cur.Code != code {
			continue
		}
		if !cur.Enabled {
			return nil, cambista.Errorf(cambista.ECONFLICT, cambista.MsgCurrencyOff.Msg("Code", code))
		}
		return cur, nil
	}
	return nil, notFound("currency", code)
}

func enabledCountry(c *call, code string) (*cambista.Country, error) {
	all, err := c.countries()
	if err != nil {
		return nil, err
	}
	for _, co := range all {
		if co.Code != code {
			continue
		}
		if !co.Enabled {
			return nil, cambista.Errorf(cambista.ECONFLICT, cambista.MsgCountryOff.Msg("Code", code))
		}
		return co, nil
	}
	return nil, notFound("country", code)
}

// notFound is the error the store gives for a code it has no row for, for
// codes looked up in a list read whole.
func notFound(entity, code string) error {
	return cambista.Errorf(cambista.ENOTFOUND, cambista.MsgNotFound.Msg("Entity", cambista.WordFor(entity), "ID", code))
}

// CurrentRates returns the rate in force now of every pair.
func (s *Service) CurrentRates(ctx context.Context) ([]*cambista.Rate, error) {
	return view(ctx, s, cambista.ActRequestQuote, func(tx Tx, _ cambista.Actor) ([]*cambista.Rate, error) {
		return tx.CurrentRates(ctx, tx.Now())
	})
}
