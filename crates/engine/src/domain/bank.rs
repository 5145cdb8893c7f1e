//! The bank: one stream is one account, with a status, a balance and a count of transactions.
use super::{
    data_fit, replay_with, unknown_inverse, DataError, Domain, EventRef, Fit, Reducer, Reversal, Step, TypeCounts,
};
use crate::correction::{CorrectionType, FieldKind, FieldSpec};
use crate::log::Log;
use crate::money::{self, exact_add, show};
use crate::plan::Plan;
use crate::timeline::ReplayBuild;
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use std::sync::Arc;

#[derive(Copy, Clone, Debug, Default)]
pub struct Bank;

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum AccountStatus {
    #[default]
    Unopened,
    Open,
    Closed,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Unopened => "unopened",
            AccountStatus::Open => "open",
            AccountStatus::Closed => "closed",
        }
    }
}

/// The state of one account.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Account {
    pub status: AccountStatus,
    pub owner: Option<Arc<str>>,
    pub balance: Decimal,
    /// Deposits and withdrawals applied, including those that broke a rule.
    pub transactions: u64,
}

/// Bank event types; the past-tense spellings map onto the same kinds.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum BankEvent {
    AccountOpened,
    Deposit,
    Withdraw,
    AccountClosed,
}

/// Every type name the bank reads; the past-tense spellings map onto the same kinds.
pub const BANK_EVENT_TYPES: &[&str] =
    &["AccountOpened", "Deposit", "Deposited", "Withdraw", "Withdrawn", "AccountClosed"];

impl Domain for Bank {
    fn name(&self) -> &str {
        "bank"
    }

    fn event_types(&self) -> &[&str] {
        BANK_EVENT_TYPES
    }

    fn fit(&self, log: &Log, types: &TypeCounts) -> Fit {
        data_fit(self, log, types)
    }

    fn fold(&self) -> Box<dyn crate::fold::Fold> {
        Box::new(crate::fold::ReducerFold::new(*self))
    }

    fn replay(&self, log: &Log, plan: Plan, interval: usize) -> Box<dyn ReplayBuild> {
        replay_with(self, log, plan, interval)
    }

    fn correction_types(&self) -> &[CorrectionType] {
        const AMOUNT: &[FieldSpec] = &[FieldSpec { name: "amount", kind: FieldKind::PositiveAmount }];
        &[
            CorrectionType { name: "Deposit", fields: AMOUNT },
            CorrectionType { name: "Withdraw", fields: AMOUNT },
            CorrectionType {
                name: "AccountOpened",
                fields: &[FieldSpec { name: "owner", kind: FieldKind::OptionalText }],
            },
            CorrectionType { name: "AccountClosed", fields: &[] },
        ]
    }

    fn reversal(&self, type_name: &str) -> Result<Reversal, String> {
        let (type_name, copy): (&'static str, &'static [&'static str]) = match self.kind(type_name) {
            Some(BankEvent::Deposit) => ("Withdraw", &["amount"]),
            Some(BankEvent::Withdraw) => ("Deposit", &["amount"]),
            Some(BankEvent::AccountOpened) => ("AccountClosed", &[]),
            Some(BankEvent::AccountClosed) => ("AccountOpened", &["owner"]),
            None => return Err(unknown_inverse(type_name)),
        };
        Ok(Reversal { type_name, copy })
    }
}

impl Reducer for Bank {
    type Stream = Account;
    type Kind = BankEvent;

    fn kind(&self, type_name: &str) -> Option<BankEvent> {
        Some(match type_name {
            "AccountOpened" => BankEvent::AccountOpened,
            "Deposit" | "Deposited" => BankEvent::Deposit,
            "Withdraw" | "Withdrawn" => BankEvent::Withdraw,
            "AccountClosed" => BankEvent::AccountClosed,
            _ => return None,
        })
    }

    fn apply(&self, account: &Account, kind: BankEvent, event: &EventRef) -> Result<Step<Account>, DataError> {
        let name = event.stream;
        let mut next = account.clone();
        let mut violations = Vec::new();
        // Events that name no stream share one account that needs no `AccountOpened`, so a bare
        // "Deposit 100, Withdraw 30" log replays cleanly.
        if next.status == AccountStatus::Unopened && event.stream_is_default && kind != BankEvent::AccountOpened {
            next.status = AccountStatus::Open;
        }
        match kind {
            BankEvent::AccountOpened => {
                let owner = event.fields()?.optional_string("owner")?;
                match next.status {
                    AccountStatus::Unopened => {}
                    AccountStatus::Open => violations.push(format!("account {name} is already open")),
                    AccountStatus::Closed => {
                        violations.push(format!("account {name} was reopened after it was closed"))
                    }
                }
                next.status = AccountStatus::Open;
                if let Some(owner) = owner {
                    next.owner = Some(owner.into());
                }
            }
            BankEvent::Deposit | BankEvent::Withdraw => {
                let amount = event.fields()?.decimal("amount")?;
                let withdrawing = kind == BankEvent::Withdraw;
                if amount <= Decimal::ZERO {
                    violations.push(format!("amount must be positive, found {}", show(amount)));
                }
                match next.status {
                    AccountStatus::Open => {}
                    AccountStatus::Unopened => violations.push(format!("account {name} has not been opened")),
                    AccountStatus::Closed => violations.push(format!("account {name} is closed")),
                }
                if withdrawing && amount > next.balance {
                    violations.push(format!(
                        "withdrawal of {} exceeds the balance of {}",
                        show(amount),
                        show(next.balance)
                    ));
                }
                let balance = exact_add(next.balance, if withdrawing { -amount } else { amount });
                next.balance = balance.ok_or_else(|| DataError {
                    path: "data.amount".into(),
                    problem: format!("is {}, too large: the balance would not fit an exact decimal", show(amount)),
                })?;
                next.transactions = next.transactions.saturating_add(1);
            }
            BankEvent::AccountClosed => {
                match next.status {
                    AccountStatus::Open => {}
                    AccountStatus::Unopened => {
                        violations.push(format!("account {name} was closed before it was opened"))
                    }
                    AccountStatus::Closed => violations.push(format!("account {name} is already closed")),
                }
                if !next.balance.is_zero() {
                    violations.push(format!("account {name} was closed with a balance of {}", show(next.balance)));
                }
                next.status = AccountStatus::Closed;
            }
        }
        Ok(Step::violated(next, violations))
    }

    fn to_json(&self, account: &Account) -> Value {
        let mut object = Map::new();
        object.insert("status".into(), account.status.as_str().into());
        if let Some(owner) = &account.owner {
            object.insert("owner".into(), (**owner).into());
        }
        object.insert("balance".into(), money::to_json(account.balance));
        object.insert("transactions".into(), account.transactions.into());
        Value::Object(object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing;
    use crate::event::DEFAULT_STREAM;
    use proptest::prelude::*;
    use serde_json::json;

    fn apply(account: &Account, type_name: &str, stream: &str, data: &str) -> Result<Step<Account>, DataError> {
        testing::apply(&Bank, account, type_name, stream, data)
    }

    fn given(stream: &str, events: &[(&str, &str)]) -> Account {
        testing::given(&Bank, stream, events)
    }

    fn open(stream: &str) -> Account {
        given(stream, &[("AccountOpened", "{}")])
    }

    fn dec(text: &str) -> Decimal {
        money::parse_decimal(text).unwrap()
    }

    #[test]
    fn the_classic_default_stream_log_gives_100_70_120_without_violations() {
        let mut account = Account::default();
        let mut balances = Vec::new();
        for (type_name, amount) in [("Deposit", 100), ("Withdraw", 30), ("Deposit", 50)] {
            let step = apply(&account, type_name, DEFAULT_STREAM, &format!(r#"{{"amount":{amount}}}"#)).unwrap();
            assert!(step.violations.is_empty(), "{:?}", step.violations);
            account = step.state;
            balances.push(show(account.balance));
        }
        assert_eq!(balances, ["100", "70", "120"]);
        assert_eq!(Bank.to_json(&account), json!({"status": "open", "balance": 120, "transactions": 3}));
    }

    #[test]
    fn past_tense_spellings_behave_like_deposit_and_withdraw() {
        let account = open("acc-1");
        let account = apply(&account, "Deposited", "acc-1", r#"{"amount":10}"#).unwrap().state;
        let step = apply(&account, "Withdrawn", "acc-1", r#"{"amount":4}"#).unwrap();
        assert!(step.violations.is_empty());
        assert_eq!(step.state.balance, Decimal::from(6));
        assert_eq!(step.state.transactions, 2);
    }

    #[test]
    fn event_types_list_every_kind_spelling() {
        for name in BANK_EVENT_TYPES {
            assert!(Bank.kind(name).is_some(), "{name}");
        }
        assert_eq!(Bank.kind("OrderPlaced"), None);
    }

    #[test]
    fn point_one_plus_point_two_is_exactly_point_three() {
        let account = given("acc-1", &[("AccountOpened", "{}"), ("Deposit", r#"{"amount":0.1}"#)]);
        let account = apply(&account, "Deposit", "acc-1", r#"{"amount":0.2}"#).unwrap().state;
        assert_eq!(account.balance, dec("0.3"));
        assert_eq!(Bank.to_json(&account)["balance"].to_string(), "0.3");
    }

    #[test]
    fn a_string_amount_is_a_data_error_and_not_applied() {
        let account = open("acc-1");
        let err = apply(&account, "Deposit", "acc-1", r#"{"amount":"100"}"#).unwrap_err();
        assert_eq!(err.to_string(), "data.amount must be a number, found a string");
    }

    #[test]
    fn a_missing_amount_is_a_data_error() {
        let err = apply(&open("acc-1"), "Withdraw", "acc-1", "{}").unwrap_err();
        assert_eq!(err.to_string(), "data.amount is missing");
    }

    #[test]
    fn a_non_positive_amount_is_a_violation_but_still_applied() {
        let account = open("acc-1");
        let step = apply(&account, "Deposit", "acc-1", r#"{"amount":-5}"#).unwrap();
        assert_eq!(step.violations, ["amount must be positive, found -5"]);
        assert_eq!(step.state.balance, Decimal::from(-5));
        assert_eq!(step.state.transactions, 1);

        let step = apply(&account, "Deposit", "acc-1", r#"{"amount":0}"#).unwrap();
        assert_eq!(step.violations, ["amount must be positive, found 0"]);
    }

    #[test]
    fn withdrawing_more_than_the_balance_is_a_violation_but_still_applied() {
        let account = given("acc-1", &[("AccountOpened", "{}"), ("Deposit", r#"{"amount":100}"#)]);
        let account = apply(&account, "Withdraw", "acc-1", r#"{"amount":30}"#).unwrap().state;
        let step = apply(&account, "Withdraw", "acc-1", r#"{"amount":300}"#).unwrap();
        assert_eq!(step.violations, ["withdrawal of 300 exceeds the balance of 70"]);
        assert_eq!(step.state.balance, Decimal::from(-230));
    }

    #[test]
    fn withdrawing_the_whole_balance_is_fine() {
        let account = given("acc-1", &[("AccountOpened", "{}"), ("Deposit", r#"{"amount":70.50}"#)]);
        let step = apply(&account, "Withdraw", "acc-1", r#"{"amount":70.5}"#).unwrap();
        assert!(step.violations.is_empty());
        assert!(step.state.balance.is_zero());
    }

    #[test]
    fn moving_money_on_an_unopened_named_account_is_a_violation_but_still_applied() {
        let step = apply(&Account::default(), "Deposit", "acc-1", r#"{"amount":10}"#).unwrap();
        assert_eq!(step.violations, ["account acc-1 has not been opened"]);
        assert_eq!(step.state.balance, Decimal::from(10));
        assert_eq!(step.state.status, AccountStatus::Unopened);
    }

    #[test]
    fn moving_money_on_a_closed_account_is_a_violation_but_still_applied() {
        let account = given("acc-1", &[("AccountOpened", "{}"), ("AccountClosed", "{}")]);
        let step = apply(&account, "Deposit", "acc-1", r#"{"amount":10}"#).unwrap();
        assert_eq!(step.violations, ["account acc-1 is closed"]);
        assert_eq!(step.state.balance, Decimal::from(10));
        assert_eq!(step.state.status, AccountStatus::Closed);
    }

    #[test]
    fn opening_an_open_account_is_a_violation() {
        let step = apply(&open("acc-1"), "AccountOpened", "acc-1", "{}").unwrap();
        assert_eq!(step.violations, ["account acc-1 is already open"]);
        assert_eq!(step.state.status, AccountStatus::Open);
    }

    #[test]
    fn opening_a_closed_account_is_a_violation_but_reopens_it() {
        let account = given("acc-1", &[("AccountOpened", "{}"), ("AccountClosed", "{}")]);
        let step = apply(&account, "AccountOpened", "acc-1", "{}").unwrap();
        assert_eq!(step.violations, ["account acc-1 was reopened after it was closed"]);
        assert_eq!(step.state.status, AccountStatus::Open);
    }

    #[test]
    fn opening_the_default_account_explicitly_is_fine() {
        let step = apply(&Account::default(), "AccountOpened", DEFAULT_STREAM, "{}").unwrap();
        assert!(step.violations.is_empty());
        assert_eq!(step.state.status, AccountStatus::Open);
    }

    #[test]
    fn the_owner_is_kept_and_shown() {
        let account = given("acc-1", &[("AccountOpened", r#"{"owner":"Ada"}"#)]);
        assert_eq!(Bank.to_json(&account), json!({"status": "open", "owner": "Ada", "balance": 0, "transactions": 0}));
    }

    #[test]
    fn an_owner_that_is_not_a_string_is_a_data_error() {
        let err = apply(&Account::default(), "AccountOpened", "acc-1", r#"{"owner":7}"#).unwrap_err();
        assert_eq!(err.to_string(), "data.owner must be a string, found a number");
    }

    #[test]
    fn closing_an_unopened_account_is_a_violation_but_closes_it() {
        let step = apply(&Account::default(), "AccountClosed", "acc-1", "{}").unwrap();
        assert_eq!(step.violations, ["account acc-1 was closed before it was opened"]);
        assert_eq!(step.state.status, AccountStatus::Closed);
    }

    #[test]
    fn closing_a_closed_account_is_a_violation() {
        let account = given("acc-1", &[("AccountOpened", "{}"), ("AccountClosed", "{}")]);
        let step = apply(&account, "AccountClosed", "acc-1", "{}").unwrap();
        assert_eq!(step.violations, ["account acc-1 is already closed"]);
    }

    #[test]
    fn closing_with_money_left_is_a_violation_but_closes_it() {
        let account = given("acc-1", &[("AccountOpened", "{}"), ("Deposit", r#"{"amount":50}"#)]);
        let step = apply(&account, "AccountClosed", "acc-1", "{}").unwrap();
        assert_eq!(step.violations, ["account acc-1 was closed with a balance of 50"]);
        assert_eq!(step.state.status, AccountStatus::Closed);
        assert_eq!(Bank.to_json(&step.state), json!({"status": "closed", "balance": 50, "transactions": 1}));
    }

    #[test]
    fn a_balance_past_the_largest_decimal_is_a_data_error_not_a_panic() {
        let account = given("acc-1", &[("AccountOpened", "{}"), ("Deposit", r#"{"amount":7e28}"#)]);
        let err = apply(&account, "Deposit", "acc-1", r#"{"amount":7e28}"#).unwrap_err();
        assert_eq!(err.path, "data.amount");
        assert!(err.problem.contains("too large"), "{err}");
    }

    #[test]
    fn a_deposit_that_would_be_rounded_away_is_a_data_error() {
        let account = given("acc-1", &[("AccountOpened", "{}"), ("Deposit", r#"{"amount":7e28}"#)]);
        let err = apply(&account, "Deposit", "acc-1", r#"{"amount":0.1}"#).unwrap_err();
        assert_eq!(err.to_string(), "data.amount is 0.1, too large: the balance would not fit an exact decimal");
    }

    #[test]
    fn an_empty_account_shows_as_unopened() {
        assert_eq!(Bank.to_json(&Account::default()), json!({"status": "unopened", "balance": 0, "transactions": 0}));
    }

    fn amount_text() -> impl Strategy<Value = String> {
        prop_oneof![
            8 => (-1_000_000i64..1_000_000, 0u32..4).prop_map(|(units, scale)| Decimal::new(units, scale).to_string()),
            1 => Just("7.9e28".to_string()),
            1 => Just("-7.9e28".to_string()),
            1 => Just(r#""12""#.to_string()),
            1 => Just("null".to_string()),
            1 => Just("1e-40".to_string()),
        ]
    }

    proptest! {
        #[test]
        fn random_deposits_and_withdrawals_never_panic_and_the_balance_is_the_signed_sum(
            ops in proptest::collection::vec((any::<bool>(), amount_text(), any::<bool>()), 0..60),
        ) {
            let mut account = Account::default();
            let mut expected = Decimal::ZERO;
            let mut applied = 0u64;
            for (deposit, amount, default_stream) in ops {
                let stream = if default_stream { DEFAULT_STREAM } else { "acc-1" };
                let type_name = if deposit { "Deposit" } else { "Withdraw" };
                if let Ok(step) = apply(&account, type_name, stream, &format!(r#"{{"amount":{amount}}}"#)) {
                    let amount = money::parse_decimal(&amount).unwrap();
                    expected = if deposit { expected + amount } else { expected - amount };
                    applied += 1;
                    account = step.state;
                }
                prop_assert_eq!(account.balance, expected);
                prop_assert_eq!(account.transactions, applied);
            }
        }
    }
}
