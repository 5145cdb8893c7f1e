//! The logs that ship with Rewind, so a person can start without one of their own.
pub struct Sample {
    pub id: &'static str,
    /// What the sample picker shows.
    pub label: &'static str,
    pub text: &'static str,
}

pub const SAMPLES: &[Sample] = &[
    Sample {
        id: "bank",
        label: "Bank account — Deposit 100, Withdraw 30, Deposit 50",
        text: include_str!("../../../samples/bank.json"),
    },
    Sample {
        id: "store",
        label: "Online store — two orders, one paid and delivered, one cancelled",
        text: include_str!("../../../samples/store.json"),
    },
    Sample {
        id: "bank-typo",
        label: "Mistake to fix: a withdrawal of 30 keyed as 300",
        text: include_str!("../../../samples/bank-typo.json"),
    },
    Sample {
        id: "bank-late-deposit",
        label: "Mistake to fix: a deposit recorded a week late",
        text: include_str!("../../../samples/bank-late-deposit.json"),
    },
    Sample {
        id: "store-shipped-unpaid",
        label: "Mistake to fix: an order shipped before its payment arrived",
        text: include_str!("../../../samples/store-shipped-unpaid.json"),
    },
    Sample {
        id: "checkout",
        label: "Causation chain — one PlaceOrder command, two orders, each paid and shipped",
        text: include_str!("../../../samples/checkout.json"),
    },
];

pub fn find(id: &str) -> Option<&'static Sample> {
    SAMPLES.iter().find(|s| s.id == id)
}
