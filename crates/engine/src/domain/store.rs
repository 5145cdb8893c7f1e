//! The store: one stream is one order, with its items, total, payments and refunds.
use super::keyed::KeyedMap;
use super::{
    data_fit, replay_with, unknown_inverse, DataError, Domain, EventRef, Fields, Fit, Reducer, Reversal, Step,
    TypeCounts,
};
use crate::correction::{CorrectionType, FieldKind, FieldSpec};
use crate::fields::JsonKind;
use crate::log::Log;
use crate::money::{self, exact_add, show};
use crate::plan::Plan;
use crate::timeline::ReplayBuild;
use rust_decimal::Decimal;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::sync::Arc;

#[derive(Copy, Clone, Debug, Default)]
pub struct Store;

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum OrderStatus {
    /// No `OrderPlaced` yet.
    #[default]
    NotPlaced,
    Placed,
    Paid,
    Shipped,
    Delivered,
    Cancelled,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::NotPlaced => "none",
            OrderStatus::Placed => "placed",
            OrderStatus::Paid => "paid",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct LineItem {
    pub qty: u64,
    pub price: Decimal,
}

/// The state of one order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Order {
    pub status: OrderStatus,
    pub customer: Option<Arc<str>>,
    pub items: KeyedMap<LineItem>,
    /// Σ qty × price, kept up to date as items change.
    pub total: Decimal,
    /// Every payment received, before refunds.
    pub paid: Decimal,
    pub refunded: Decimal,
    pub cancel_reason: Option<Arc<str>>,
}

impl Order {
    /// What the customer has paid and kept.
    fn net_paid(&self) -> Decimal {
        // Only compared and shown, so rounding at the far edge of the range is harmless.
        self.paid.checked_sub(self.refunded).unwrap_or(Decimal::MIN)
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum StoreEvent {
    OrderPlaced,
    ItemAdded,
    ItemRemoved,
    PaymentReceived,
    OrderShipped,
    OrderDelivered,
    OrderCancelled,
    RefundIssued,
}

/// Every type name the store reads.
pub const STORE_EVENT_TYPES: &[&str] = &[
    "OrderPlaced",
    "ItemAdded",
    "ItemRemoved",
    "PaymentReceived",
    "OrderShipped",
    "OrderDelivered",
    "OrderCancelled",
    "RefundIssued",
];

impl Domain for Store {
    fn name(&self) -> &str {
        "store"
    }

    fn event_types(&self) -> &[&str] {
        STORE_EVENT_TYPES
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
        use FieldKind::*;
        const AMOUNT: &[FieldSpec] = &[FieldSpec { name: "amount", kind: PositiveAmount }];
        const SKU: FieldSpec = FieldSpec { name: "sku", kind: Text };
        &[
            CorrectionType { name: "OrderPlaced", fields: &[FieldSpec { name: "customer", kind: OptionalText }] },
            CorrectionType {
                name: "ItemAdded",
                fields: &[SKU, FieldSpec { name: "qty", kind: Quantity }, FieldSpec { name: "price", kind: Price }],
            },
            CorrectionType { name: "ItemRemoved", fields: &[SKU, FieldSpec { name: "qty", kind: OptionalQuantity }] },
            CorrectionType { name: "PaymentReceived", fields: AMOUNT },
            CorrectionType { name: "OrderShipped", fields: &[FieldSpec { name: "carrier", kind: OptionalText }] },
            CorrectionType { name: "OrderDelivered", fields: &[] },
            CorrectionType { name: "OrderCancelled", fields: &[FieldSpec { name: "reason", kind: OptionalText }] },
            CorrectionType { name: "RefundIssued", fields: AMOUNT },
        ]
    }

    fn reversal(&self, type_name: &str) -> Result<Reversal, String> {
        let (reverse, copy): (&'static str, &'static [&'static str]) = match self.kind(type_name) {
            Some(StoreEvent::ItemAdded) => ("ItemRemoved", &["sku", "qty"]),
            Some(StoreEvent::PaymentReceived) => ("RefundIssued", &["amount"]),
            Some(StoreEvent::RefundIssued) => ("PaymentReceived", &["amount"]),
            Some(StoreEvent::OrderPlaced) => ("OrderCancelled", &[]),
            Some(StoreEvent::ItemRemoved) => {
                return Err("An ItemRemoved cannot be reversed from the event alone: add the item back with \
                            ItemAdded and its price"
                    .into())
            }
            Some(StoreEvent::OrderShipped | StoreEvent::OrderDelivered) => {
                return Err(format!(
                    "The store has no event that undoes {type_name}: cancel the order or issue a refund instead"
                ))
            }
            Some(StoreEvent::OrderCancelled) => {
                return Err("A cancelled order cannot be reopened: place a new order instead".into())
            }
            None => return Err(unknown_inverse(type_name)),
        };
        Ok(Reversal { type_name: reverse, copy })
    }
}

impl Reducer for Store {
    type Stream = Order;
    type Kind = StoreEvent;

    fn kind(&self, type_name: &str) -> Option<StoreEvent> {
        Some(match type_name {
            "OrderPlaced" => StoreEvent::OrderPlaced,
            "ItemAdded" => StoreEvent::ItemAdded,
            "ItemRemoved" => StoreEvent::ItemRemoved,
            "PaymentReceived" => StoreEvent::PaymentReceived,
            "OrderShipped" => StoreEvent::OrderShipped,
            "OrderDelivered" => StoreEvent::OrderDelivered,
            "OrderCancelled" => StoreEvent::OrderCancelled,
            "RefundIssued" => StoreEvent::RefundIssued,
            _ => return None,
        })
    }

    fn apply(&self, order: &Order, kind: StoreEvent, event: &EventRef) -> Result<Step<Order>, DataError> {
        let name = event.stream;
        let fields = event.fields()?;
        let mut next = order.clone();
        let mut violations = Vec::new();
        if kind != StoreEvent::OrderPlaced && order.status == OrderStatus::NotPlaced {
            violations.push(format!("order {name} has not been placed"));
        }
        match kind {
            StoreEvent::OrderPlaced => {
                let customer = fields.optional_string("customer")?;
                let items = placed_items(&fields)?;
                if order.status == OrderStatus::NotPlaced {
                    next.status = OrderStatus::Placed;
                } else {
                    violations.push(format!("order {name} was already placed"));
                }
                if let Some(customer) = customer {
                    next.customer = Some(customer.into());
                }
                // A repeated placement that lists items restates the order rather than adding to
                // it, so a duplicated event does not double the items.
                if let Some(items) = items {
                    next.items = KeyedMap::new();
                    next.total = Decimal::ZERO;
                    for (i, item) in items.into_iter().enumerate() {
                        check_item(&item, &mut violations);
                        next.add(&item).ok_or_else(|| item_overflow(format!("data.items[{i}]"), &item))?;
                    }
                }
            }
            StoreEvent::ItemAdded => {
                let item = read_item(&fields, "data")?;
                check_item(&item, &mut violations);
                check_items_open(order, name, format!("{} added to", item.sku), &mut violations);
                next.add(&item).ok_or_else(|| item_overflow("data".into(), &item))?;
            }
            StoreEvent::ItemRemoved => {
                let sku = fields.string("sku")?;
                let qty = fields.optional_count("qty")?;
                check_items_open(order, name, format!("{sku} removed from"), &mut violations);
                if qty == Some(0) {
                    violations.push(format!("quantity of {sku} must be at least 1, found 0"));
                }
                match order.items.get(sku.as_str()) {
                    None => violations.push(format!("{sku} is not in order {name}")),
                    Some(held) => {
                        let removed = qty.unwrap_or(held.qty);
                        if removed > held.qty {
                            violations
                                .push(format!("removing {removed} of {sku}, but order {name} has only {}", held.qty));
                        }
                        let left = held.qty - removed.min(held.qty);
                        let line = (left > 0).then_some(LineItem { qty: left, price: held.price });
                        // Lines may be negative (a negative price is applied), so even a removal can
                        // push the total out of range.
                        next.set_line(&sku, line).ok_or_else(|| DataError {
                            path: "data.sku".into(),
                            problem: format!("is {sku}; without it the order total would not fit an exact decimal"),
                        })?;
                    }
                }
            }
            StoreEvent::PaymentReceived => {
                let amount = fields.decimal("amount")?;
                check_positive(amount, &mut violations);
                if order.status == OrderStatus::Cancelled {
                    violations.push(format!("payment of {} received for cancelled order {name}", show(amount)));
                }
                next.paid = add_amount(next.paid, amount, "the amount paid")?;
                if next.status == OrderStatus::Placed && next.net_paid() >= next.total {
                    next.status = OrderStatus::Paid;
                }
            }
            StoreEvent::RefundIssued => {
                let amount = fields.decimal("amount")?;
                check_positive(amount, &mut violations);
                let refunded = add_amount(order.refunded, amount, "the amount refunded")?;
                if refunded > order.paid {
                    violations.push(if order.refunded.is_zero() {
                        format!("refund of {} exceeds the {} paid", show(amount), show(order.paid))
                    } else {
                        format!(
                            "refund of {} brings refunds to {}, more than the {} paid",
                            show(amount),
                            show(refunded),
                            show(order.paid)
                        )
                    });
                }
                next.refunded = refunded;
            }
            StoreEvent::OrderShipped => {
                match order.status {
                    OrderStatus::Cancelled => {
                        violations.push(format!("order {name} was shipped after it was cancelled"))
                    }
                    OrderStatus::Shipped | OrderStatus::Delivered => {
                        violations.push(format!("order {name} was already {}", order.status.as_str()))
                    }
                    _ => {}
                }
                if order.net_paid() < order.total {
                    violations.push(format!(
                        "order {name} was shipped with {} of {} paid",
                        show(order.net_paid().max(Decimal::ZERO)),
                        show(order.total)
                    ));
                }
                next.status = OrderStatus::Shipped;
            }
            StoreEvent::OrderDelivered => {
                match order.status {
                    OrderStatus::Shipped | OrderStatus::NotPlaced => {}
                    OrderStatus::Delivered => violations.push(format!("order {name} was already delivered")),
                    OrderStatus::Cancelled => {
                        violations.push(format!("order {name} was delivered after it was cancelled"))
                    }
                    OrderStatus::Placed | OrderStatus::Paid => {
                        violations.push(format!("order {name} was delivered before it was shipped"))
                    }
                }
                next.status = OrderStatus::Delivered;
            }
            StoreEvent::OrderCancelled => {
                let reason = fields.optional_string("reason")?;
                match order.status {
                    OrderStatus::Shipped | OrderStatus::Delivered => {
                        violations.push(format!("order {name} was cancelled after it was {}", order.status.as_str()))
                    }
                    OrderStatus::Cancelled => violations.push(format!("order {name} was already cancelled")),
                    _ => {}
                }
                next.status = OrderStatus::Cancelled;
                if let Some(reason) = reason {
                    next.cancel_reason = Some(reason.into());
                }
            }
        }
        Ok(Step::violated(next, violations))
    }

    fn to_json(&self, order: &Order) -> Value {
        let mut object = Map::new();
        object.insert("status".into(), order.status.as_str().into());
        if let Some(customer) = &order.customer {
            object.insert("customer".into(), (**customer).into());
        }
        let items = order
            .items
            .iter()
            .map(|(sku, item)| {
                let mut line = Map::new();
                line.insert("qty".into(), item.qty.into());
                line.insert("price".into(), money::to_json(item.price));
                (sku.to_string(), Value::Object(line))
            })
            .collect();
        object.insert("items".into(), Value::Object(items));
        object.insert("total".into(), money::to_json(order.total));
        object.insert("paid".into(), money::to_json(order.paid));
        object.insert("refunded".into(), money::to_json(order.refunded));
        if let Some(reason) = &order.cancel_reason {
            object.insert("cancel_reason".into(), (**reason).into());
        }
        Value::Object(object)
    }
}

/// An item as an event states it.
struct ItemData {
    sku: String,
    qty: u64,
    price: Decimal,
}

impl Order {
    /// Adds `item` to the order: quantities of one sku add up and the latest price holds.
    /// `None` (changing nothing) when the quantity or total would not fit.
    fn add(&mut self, item: &ItemData) -> Option<()> {
        let held = self.items.get(item.sku.as_str()).map_or(0, |held| held.qty);
        let qty = held.checked_add(item.qty)?;
        self.set_line(&item.sku, Some(LineItem { qty, price: item.price }))
    }

    /// Replaces `sku`'s line (`None` drops it) and updates the total; `None` (changing nothing)
    /// when the total would not fit exactly.
    fn set_line(&mut self, sku: &str, line: Option<LineItem>) -> Option<()> {
        let value = |line: Option<&LineItem>| line.map_or(Some(Decimal::ZERO), |l| line_total(l.qty, l.price));
        let old = value(self.items.get(sku))?;
        self.total = exact_add(exact_add(self.total, -old)?, value(line.as_ref())?)?;
        match line {
            Some(line) => self.items.insert(sku.into(), line),
            None => self.items.remove(sku),
        };
        Some(())
    }
}

fn read_item(fields: &Fields, path: &str) -> Result<ItemData, DataError> {
    let sku = fields.string("sku");
    let qty = fields.optional_count("qty");
    let price = fields.decimal("price");
    // `Fields` names paths from a static prefix; items of an array need their index in the path.
    let at = |mut err: DataError| {
        if let Some(rest) = err.path.strip_prefix(ITEM_PREFIX) {
            err.path = format!("{path}{rest}");
        }
        err
    };
    Ok(ItemData { sku: sku.map_err(at)?, qty: qty.map_err(at)?.unwrap_or(1), price: price.map_err(at)? })
}

const ITEM_PREFIX: &str = "item";

/// The `items` array of `OrderPlaced`, or `None` when it has none.
fn placed_items(fields: &Fields) -> Result<Option<Vec<ItemData>>, DataError> {
    let Some(raw) = fields.get("items").filter(|raw| JsonKind::of(raw) != JsonKind::Null) else {
        return Ok(None);
    };
    let list: Vec<&RawValue> = serde_json::from_str(raw.get())
        .map_err(|_| DataError::wrong_kind("data.items", "an array", JsonKind::of(raw)))?;
    list.into_iter()
        .enumerate()
        .map(|(i, raw)| {
            let path = format!("data.items[{i}]");
            let fields = Fields::parse_with_prefix(raw.get(), ITEM_PREFIX).map_err(|mut err| {
                err.path = path.clone();
                err
            })?;
            read_item(&fields, &path)
        })
        .collect::<Result<_, _>>()
        .map(Some)
}

fn check_item(item: &ItemData, violations: &mut Vec<String>) {
    if item.qty == 0 {
        violations.push(format!("quantity of {} must be at least 1, found 0", item.sku));
    }
    if item.price < Decimal::ZERO {
        violations.push(format!("price of {} must not be negative, found {}", item.sku, show(item.price)));
    }
}

/// Items are fixed once the order is paid or cancelled.
fn check_items_open(order: &Order, name: &str, what: String, violations: &mut Vec<String>) {
    if matches!(
        order.status,
        OrderStatus::Paid | OrderStatus::Shipped | OrderStatus::Delivered | OrderStatus::Cancelled
    ) {
        violations.push(format!("{what} order {name} after it was {}", order.status.as_str()));
    }
}

fn check_positive(amount: Decimal, violations: &mut Vec<String>) {
    if amount <= Decimal::ZERO {
        violations.push(format!("amount must be positive, found {}", show(amount)));
    }
}

fn add_amount(sum: Decimal, amount: Decimal, what: &str) -> Result<Decimal, DataError> {
    exact_add(sum, amount).ok_or_else(|| DataError {
        path: "data.amount".into(),
        problem: format!("is {}, too large: {what} would not fit an exact decimal", show(amount)),
    })
}

fn item_overflow(path: String, item: &ItemData) -> DataError {
    DataError {
        path: format!("{path}.price"),
        problem: format!(
            "is {}, too large: the order total with {} of {} would not fit an exact decimal",
            show(item.price),
            item.qty,
            item.sku
        ),
    }
}

/// `qty × price`, or `None` when it does not fit exactly (a rounded product has a smaller scale).
fn line_total(qty: u64, price: Decimal) -> Option<Decimal> {
    Decimal::from(qty).checked_mul(price).filter(|line| line.is_zero() || line.scale() >= price.scale())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing;
    use proptest::prelude::*;
    use serde_json::json;

    const ORDER: &str = "o-1";

    fn apply(order: &Order, type_name: &str, data: &str) -> Result<Step<Order>, DataError> {
        testing::apply(&Store, order, type_name, ORDER, data)
    }

    fn given(events: &[(&str, &str)]) -> Order {
        testing::given(&Store, ORDER, events)
    }

    /// An order of two items at 9.50: total 19.
    fn placed() -> Order {
        given(&[("OrderPlaced", r#"{"customer":"Ada","items":[{"sku":"sku-1","qty":2,"price":9.50}]}"#)])
    }

    fn paid() -> Order {
        let order = placed();
        apply(&order, "PaymentReceived", r#"{"amount":19}"#).unwrap().state
    }

    fn shipped() -> Order {
        apply(&paid(), "OrderShipped", "{}").unwrap().state
    }

    fn cancelled() -> Order {
        apply(&placed(), "OrderCancelled", r#"{"reason":"changed mind"}"#).unwrap().state
    }

    fn violations(order: &Order, type_name: &str, data: &str) -> Vec<String> {
        apply(order, type_name, data).unwrap().violations
    }

    fn dec(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn the_happy_path_places_pays_ships_and_delivers_without_violations() {
        let order = given(&[
            ("OrderPlaced", r#"{"customer":"Ada"}"#),
            ("ItemAdded", r#"{"sku":"sku-1","qty":2,"price":9.5}"#),
            ("ItemAdded", r#"{"sku":"sku-2","price":1.25}"#),
            ("PaymentReceived", r#"{"amount":20.25}"#),
        ]);
        assert_eq!(order.status, OrderStatus::Paid);
        let order = given_from(order, &[("OrderShipped", "{}"), ("OrderDelivered", "{}")]);
        assert_eq!(order.status, OrderStatus::Delivered);
        assert_eq!(order.total, Decimal::new(2025, 2));
    }

    fn given_from(order: Order, events: &[(&str, &str)]) -> Order {
        testing::given_from(&Store, order, ORDER, events)
    }

    #[test]
    fn to_json_shows_status_customer_items_and_amounts() {
        assert_eq!(
            Store.to_json(&paid()),
            json!({
                "status": "paid",
                "customer": "Ada",
                "items": {"sku-1": {"qty": 2, "price": 9.5}},
                "total": 19,
                "paid": 19,
                "refunded": 0
            })
        );
        assert_eq!(Store.to_json(&cancelled())["cancel_reason"], "changed mind");
        assert_eq!(
            Store.to_json(&Order::default()),
            json!({"status": "none", "items": {}, "total": 0, "paid": 0, "refunded": 0})
        );
    }

    #[test]
    fn every_event_type_is_known() {
        for name in STORE_EVENT_TYPES {
            assert!(Store.kind(name).is_some(), "{name}");
        }
        assert_eq!(Store.kind("Deposit"), None);
    }

    #[test]
    fn a_partial_payment_is_recorded_but_the_order_stays_placed() {
        let step = apply(&placed(), "PaymentReceived", r#"{"amount":10}"#).unwrap();
        assert!(step.violations.is_empty());
        assert_eq!(step.state.status, OrderStatus::Placed);
        assert_eq!(step.state.paid, dec(10));
        let step = apply(&step.state, "PaymentReceived", r#"{"amount":9}"#).unwrap();
        assert_eq!(step.state.status, OrderStatus::Paid);
    }

    #[test]
    fn item_quantity_defaults_to_one_and_same_sku_adds_up() {
        let order = given_from(placed(), &[("ItemAdded", r#"{"sku":"sku-2","price":3}"#)]);
        assert_eq!(order.items.get("sku-2"), Some(&LineItem { qty: 1, price: dec(3) }));
        let order = given_from(order, &[("ItemAdded", r#"{"sku":"sku-1","qty":1,"price":9.5}"#)]);
        assert_eq!(order.items.get("sku-1").unwrap().qty, 3);
        assert_eq!(order.total, Decimal::new(3150, 2));
    }

    #[test]
    fn shipping_an_unpaid_order_is_a_violation_but_still_applied() {
        let order = apply(&placed(), "PaymentReceived", r#"{"amount":10}"#).unwrap().state;
        let step = apply(&order, "OrderShipped", "{}").unwrap();
        assert_eq!(step.violations, ["order o-1 was shipped with 10 of 19 paid"]);
        assert_eq!(step.state.status, OrderStatus::Shipped);
    }

    #[test]
    fn shipping_a_cancelled_order_is_a_violation() {
        assert_eq!(
            violations(&cancelled(), "OrderShipped", "{}"),
            ["order o-1 was shipped after it was cancelled", "order o-1 was shipped with 0 of 19 paid"]
        );
    }

    #[test]
    fn shipping_twice_is_a_violation() {
        assert_eq!(violations(&shipped(), "OrderShipped", "{}"), ["order o-1 was already shipped"]);
    }

    #[test]
    fn paying_a_cancelled_order_is_a_violation_but_the_payment_is_recorded() {
        let step = apply(&cancelled(), "PaymentReceived", r#"{"amount":19}"#).unwrap();
        assert_eq!(step.violations, ["payment of 19 received for cancelled order o-1"]);
        assert_eq!(step.state.paid, dec(19));
        assert_eq!(step.state.status, OrderStatus::Cancelled);
    }

    #[test]
    fn refunding_more_than_was_paid_is_a_violation_but_still_applied() {
        let step = apply(&paid(), "RefundIssued", r#"{"amount":30}"#).unwrap();
        assert_eq!(step.violations, ["refund of 30 exceeds the 19 paid"]);
        assert_eq!(step.state.refunded, dec(30));
    }

    #[test]
    fn refunds_add_up_against_what_was_paid() {
        let order = given_from(paid(), &[("RefundIssued", r#"{"amount":15}"#)]);
        let step = apply(&order, "RefundIssued", r#"{"amount":10}"#).unwrap();
        assert_eq!(step.violations, ["refund of 10 brings refunds to 25, more than the 19 paid"]);
        let step = apply(&order, "RefundIssued", r#"{"amount":4}"#).unwrap();
        assert!(step.violations.is_empty());
    }

    #[test]
    fn adding_an_item_after_payment_is_a_violation_but_still_applied() {
        let step = apply(&paid(), "ItemAdded", r#"{"sku":"sku-2","price":5}"#).unwrap();
        assert_eq!(step.violations, ["sku-2 added to order o-1 after it was paid"]);
        assert_eq!(step.state.total, dec(24));
    }

    #[test]
    fn removing_an_item_after_cancel_is_a_violation() {
        let step = apply(&cancelled(), "ItemRemoved", r#"{"sku":"sku-1"}"#).unwrap();
        assert_eq!(step.violations, ["sku-1 removed from order o-1 after it was cancelled"]);
        assert!(step.state.items.is_empty());
    }

    #[test]
    fn adding_an_item_after_shipping_is_a_violation() {
        assert_eq!(
            violations(&shipped(), "ItemAdded", r#"{"sku":"sku-2","price":5}"#),
            ["sku-2 added to order o-1 after it was shipped"]
        );
    }

    #[test]
    fn removing_part_of_an_item_lowers_qty_and_total() {
        let step = apply(&placed(), "ItemRemoved", r#"{"sku":"sku-1","qty":1}"#).unwrap();
        assert!(step.violations.is_empty());
        assert_eq!(step.state.items.get("sku-1").unwrap().qty, 1);
        assert_eq!(step.state.total, Decimal::new(95, 1));
    }

    #[test]
    fn removing_without_qty_removes_the_whole_line() {
        let step = apply(&placed(), "ItemRemoved", r#"{"sku":"sku-1"}"#).unwrap();
        assert!(step.violations.is_empty());
        assert!(step.state.items.is_empty());
        assert!(step.state.total.is_zero());
    }

    #[test]
    fn removing_an_sku_not_in_the_order_is_a_violation() {
        let step = apply(&placed(), "ItemRemoved", r#"{"sku":"sku-9"}"#).unwrap();
        assert_eq!(step.violations, ["sku-9 is not in order o-1"]);
        assert_eq!(step.state, placed());
    }

    #[test]
    fn removing_more_than_the_order_holds_is_a_violation_and_removes_the_line() {
        let step = apply(&placed(), "ItemRemoved", r#"{"sku":"sku-1","qty":3}"#).unwrap();
        assert_eq!(step.violations, ["removing 3 of sku-1, but order o-1 has only 2"]);
        assert!(step.state.items.is_empty());
    }

    #[test]
    fn events_on_an_order_never_placed_are_violations_but_still_applied() {
        let step = apply(&Order::default(), "ItemAdded", r#"{"sku":"sku-1","price":2}"#).unwrap();
        assert_eq!(step.violations, ["order o-1 has not been placed"]);
        assert_eq!(step.state.total, dec(2));
        assert_eq!(step.state.status, OrderStatus::NotPlaced);
        for (type_name, data) in [
            ("ItemRemoved", r#"{"sku":"sku-1"}"#),
            ("PaymentReceived", r#"{"amount":1}"#),
            ("RefundIssued", r#"{"amount":0.5}"#),
            ("OrderShipped", "{}"),
            ("OrderDelivered", "{}"),
            ("OrderCancelled", "{}"),
        ] {
            let violations = violations(&step.state, type_name, data);
            assert_eq!(violations.first().map(String::as_str), Some("order o-1 has not been placed"), "{type_name}");
        }
    }

    #[test]
    fn placing_twice_is_a_violation_and_keeps_the_status() {
        let step = apply(&paid(), "OrderPlaced", "{}").unwrap();
        assert_eq!(step.violations, ["order o-1 was already placed"]);
        assert_eq!(step.state.status, OrderStatus::Paid);
        assert_eq!(step.state.items, paid().items);
    }

    #[test]
    fn a_duplicated_placement_does_not_double_the_items() {
        let data = r#"{"items":[{"sku":"sku-1","qty":2,"price":9.5}]}"#;
        let step = apply(&placed(), "OrderPlaced", data).unwrap();
        assert_eq!(step.violations, ["order o-1 was already placed"]);
        assert_eq!(step.state.total, dec(19));
    }

    #[test]
    fn delivering_before_shipping_is_a_violation_but_still_applied() {
        let step = apply(&paid(), "OrderDelivered", "{}").unwrap();
        assert_eq!(step.violations, ["order o-1 was delivered before it was shipped"]);
        assert_eq!(step.state.status, OrderStatus::Delivered);
        assert_eq!(
            violations(&cancelled(), "OrderDelivered", "{}"),
            ["order o-1 was delivered after it was cancelled"]
        );
    }

    #[test]
    fn cancelling_a_shipped_or_delivered_order_is_a_violation_but_still_applied() {
        let step = apply(&shipped(), "OrderCancelled", "{}").unwrap();
        assert_eq!(step.violations, ["order o-1 was cancelled after it was shipped"]);
        assert_eq!(step.state.status, OrderStatus::Cancelled);
        let delivered = apply(&shipped(), "OrderDelivered", "{}").unwrap().state;
        assert_eq!(violations(&delivered, "OrderCancelled", "{}"), ["order o-1 was cancelled after it was delivered"]);
    }

    #[test]
    fn cancelling_a_placed_order_is_fine_and_keeps_the_reason() {
        let step = apply(&placed(), "OrderCancelled", r#"{"reason":"changed mind"}"#).unwrap();
        assert!(step.violations.is_empty());
        assert_eq!(step.state.cancel_reason.as_deref(), Some("changed mind"));
    }

    #[test]
    fn non_positive_amounts_are_violations() {
        assert_eq!(violations(&placed(), "PaymentReceived", r#"{"amount":0}"#), ["amount must be positive, found 0"]);
        assert_eq!(violations(&paid(), "RefundIssued", r#"{"amount":-5}"#), ["amount must be positive, found -5"]);
    }

    #[test]
    fn a_negative_price_or_zero_qty_is_a_violation_but_still_applied() {
        let step = apply(&placed(), "ItemAdded", r#"{"sku":"sku-2","qty":0,"price":-2}"#).unwrap();
        assert_eq!(
            step.violations,
            ["quantity of sku-2 must be at least 1, found 0", "price of sku-2 must not be negative, found -2"]
        );
        assert_eq!(step.state.items.get("sku-2"), Some(&LineItem { qty: 0, price: dec(-2) }));
        let data = r#"{"items":[{"sku":"a","price":1},{"sku":"b","qty":0,"price":1}]}"#;
        assert_eq!(violations(&Order::default(), "OrderPlaced", data), ["quantity of b must be at least 1, found 0"]);
        assert_eq!(
            violations(&placed(), "ItemRemoved", r#"{"sku":"sku-1","qty":0}"#),
            ["quantity of sku-1 must be at least 1, found 0"]
        );
    }

    #[test]
    fn unreadable_item_data_names_the_exact_path() {
        let cases = [
            (
                r#"{"items":[{"sku":"a","price":1},{"sku":"b","price":"2"}]}"#,
                "data.items[1].price must be a number, found a string",
            ),
            (r#"{"items":[{"price":1}]}"#, "data.items[0].sku is missing"),
            (
                r#"{"items":[{"sku":"a","qty":1.5,"price":1}]}"#,
                "data.items[0].qty must be a whole number of at least 0, found 1.5",
            ),
            (r#"{"items":[7]}"#, "data.items[0] must be an object, found a number"),
            (r#"{"items":{"sku":"a"}}"#, "data.items must be an array, found an object"),
            (r#"{"customer":1}"#, "data.customer must be a string, found a number"),
        ];
        for (data, message) in cases {
            let err = apply(&Order::default(), "OrderPlaced", data).unwrap_err();
            assert_eq!(err.to_string(), message);
        }
        let err = apply(&placed(), "ItemAdded", r#"{"sku":"a","price":"2"}"#).unwrap_err();
        assert_eq!(err.to_string(), "data.price must be a number, found a string");
        let err = apply(&placed(), "PaymentReceived", r#"{"amount":"19"}"#).unwrap_err();
        assert_eq!(err.to_string(), "data.amount must be a number, found a string");
    }

    #[test]
    fn a_total_past_the_largest_decimal_is_a_data_error_not_a_panic() {
        let err = apply(&placed(), "ItemAdded", r#"{"sku":"big","qty":10,"price":1e28}"#).unwrap_err();
        assert_eq!(err.path, "data.price");
        let err = apply(&placed(), "ItemAdded", r#"{"sku":"sku-1","qty":18446744073709551615,"price":1}"#).unwrap_err();
        assert_eq!(err.path, "data.price");
    }

    #[test]
    fn an_item_that_would_be_rounded_away_is_a_data_error() {
        let order = given(&[("OrderPlaced", r#"{"items":[{"sku":"big","price":7e28}]}"#)]);
        let err = apply(&order, "ItemAdded", r#"{"sku":"small","price":0.1}"#).unwrap_err();
        assert_eq!(err.path, "data.price");
        let err =
            apply(&order, "ItemAdded", r#"{"sku":"odd","qty":18446744073709551615,"price":1.0000000001}"#).unwrap_err();
        assert_eq!(err.path, "data.price");
    }

    fn event_strategy() -> impl Strategy<Value = (&'static str, String)> {
        let sku = prop_oneof![Just("a"), Just("b"), Just("c")];
        let number = prop_oneof![
            (-1000i64..1000, 0u32..3).prop_map(|(n, s)| Decimal::new(n, s).to_string()),
            Just("7e28".to_string()),
            Just(r#""1""#.to_string()),
        ];
        let qty = prop_oneof![Just(String::new()), (0u64..4).prop_map(|q| format!(r#","qty":{q}"#))];
        (0usize..8, sku, number, qty).prop_map(|(kind, sku, number, qty)| {
            let type_name = STORE_EVENT_TYPES[kind];
            let data = match type_name {
                "ItemAdded" => format!(r#"{{"sku":"{sku}","price":{number}{qty}}}"#),
                "ItemRemoved" => format!(r#"{{"sku":"{sku}"{qty}}}"#),
                "PaymentReceived" | "RefundIssued" => format!(r#"{{"amount":{number}}}"#),
                "OrderPlaced" => format!(r#"{{"items":[{{"sku":"{sku}","price":{number}{qty}}}]}}"#),
                _ => "{}".to_string(),
            };
            (type_name, data)
        })
    }

    proptest! {
        #[test]
        fn random_order_events_never_panic_and_the_total_matches_the_items(
            events in proptest::collection::vec(event_strategy(), 0..40),
        ) {
            let mut order = Order::default();
            for (type_name, data) in events {
                if let Ok(step) = apply(&order, type_name, &data) {
                    order = step.state;
                }
                let total: Decimal = order.items.iter().map(|(_, item)| Decimal::from(item.qty) * item.price).sum();
                prop_assert_eq!(order.total, total);
            }
        }
    }
}
