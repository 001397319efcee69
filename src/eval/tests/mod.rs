mod assume_role;
mod conditions;
mod cross_account;
mod effective;
pub mod fixture;
mod messy;
mod organizations;
mod properties;
mod same_account;
