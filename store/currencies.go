package store

import (
	"context"

	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/money"
)

func currency(code string, exp int, rounding string) (money.Currency, error) {
	r, err := money.ParseRoundingMode(rounding)
	return money.Currency{Code: code, Exponent: exp, Rounding: r}, err
}

const currencyColumns = `code, name, exponent, rounding, enabled`

func scanCurrency(sc scanner) (*cambista.Currency, error) {
	var c cambista.Currency
	var rounding string
	if err := sc.Scan(&c.Code, &c.Name, &c.Exponent, &rounding, &c.Enabled); err != nil {
		return nil, err
	}
	r, err := money.ParseRoundingMode(rounding)
	if err != nil {
		return nil, err
	}
	c.Rounding = r
	return &c, nil
}

func (t *tx) CreateCurrency(ctx context.Context, c *cambista.Currency) error {
	_, err := t.exec(ctx, `INSERT INTO currencies (`+currencyColumns+`, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		c.Code, c.Name, c.Exponent, c.Rounding.String(), c.Enabled, cambista.Micros(t.now))
	if uniqueViolation(err) {
		return exists("currency", c.Code)
	}
	return err
}

func (t *tx) Currency(ctx context.Context, code string) (*cambista.Currency, error) {
	c, err := scanCurrency(t.row(ctx, `SELECT `+currencyColumns+` FROM currencies WHERE code = $1`, code))
	return c, one(err, "currency", code)
}

func (t *tx) UpdateCurrency(ctx context.Context, c *cambista.Currency) error {
	res, err := t.exec(ctx, `UPDATE currencies SET name = $2, rounding = $3, enabled = $4 WHERE code = $1`,
		c.Code, c.Name, c.Rounding.String(), c.Enabled)
	return affected(res, err, "currency", c.Code)
}

func (t *tx) Currencies(ctx context.Context) ([]*cambista.Currency, error) {
	return read[[]*cambista.Currency](ctx, t, app.CurrenciesRead())
}
