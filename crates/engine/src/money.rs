//! Exact decimal amounts read from JSON number text, so 0.1 + 0.2 is 0.3.
use rust_decimal::Decimal;

/// Parses a JSON number's text exactly; `None` when it does not fit a 96-bit decimal.
pub fn parse_decimal(number: &str) -> Option<Decimal> {
    if number.contains(['e', 'E']) {
        Decimal::from_scientific(number).ok()
    } else {
        Decimal::from_str_exact(number).ok()
    }
}

/// `a + b`, or `None` when the exact sum does not fit: near its limit `Decimal` silently rounds
/// (7e28 + 0.1 = 7e28), which a sum of money must never do. Adding to zero is exact whatever the
/// scales (`Decimal` then returns the other operand, with its own scale: 0.0 + -5 is -5).
pub fn exact_add(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_add(b)
        .filter(|sum| sum.is_zero() || a.is_zero() || b.is_zero() || sum.scale() >= a.scale().max(b.scale()))
}

/// An amount as a person writes it: 120, not 120.00.
pub fn show(amount: Decimal) -> String {
    amount.normalize().to_string()
}

/// A decimal as a JSON number with no trailing zeros (120, 0.3).
pub fn to_json(amount: Decimal) -> serde_json::Value {
    let text = show(amount);
    // arbitrary_precision keeps the digits exactly as written here.
    serde_json::from_str(&text).expect("a Decimal always prints as a JSON number")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_one_plus_point_two_is_point_three() {
        let sum = parse_decimal("0.1").unwrap() + parse_decimal("0.2").unwrap();
        assert_eq!(to_json(sum).to_string(), "0.3");
    }

    #[test]
    fn scientific_notation_is_exact() {
        assert_eq!(parse_decimal("1.5e2"), Some(Decimal::from(150)));
    }

    #[test]
    fn whole_amounts_print_without_a_fraction() {
        assert_eq!(to_json(parse_decimal("120.00").unwrap()).to_string(), "120");
    }

    #[test]
    fn adding_to_a_zero_with_a_fraction_is_exact() {
        let zero = parse_decimal("0.1").unwrap() - parse_decimal("0.1").unwrap();
        assert_eq!(exact_add(zero, Decimal::from(-5)), Some(Decimal::from(-5)));
        assert_eq!(exact_add(Decimal::from(-5), zero), Some(Decimal::from(-5)));
    }

    #[test]
    fn a_sum_that_would_be_rounded_is_refused() {
        let big = parse_decimal("70000000000000000000000000000").unwrap();
        assert_eq!(exact_add(big, parse_decimal("0.1").unwrap()), None);
    }

    #[test]
    fn absurdly_large_numbers_are_refused_not_wrapped() {
        assert_eq!(parse_decimal("1e400"), None);
    }
}
