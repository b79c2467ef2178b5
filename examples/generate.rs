//! Writes a deterministic portal seed and input of N people and S structures, for benchmarks
//! and large tests:
//!
//!     cargo run --release --example generate -- DIR [PEOPLE] [STRUCTURES]
//!
//! DIR/seed.json (PEOPLE portal users) and DIR/input.csv (PEOPLE people: 95 % already on the
//! portal, 5 % new, plus 10 % second rows).

use proone_sync::emulator::synthetic as seed;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(
        args.next()
            .ok_or("usage: generate DIR [PEOPLE] [STRUCTURES]")?,
    );
    let people: u64 = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(seed::USERS);
    let structures: u64 = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(seed::STRUCTURES);
    std::fs::create_dir_all(&dir)?;
    let new = people / 20;
    std::fs::write(
        dir.join("seed.json"),
        seed::seed_of(people, structures).to_string(),
    )?;
    std::fs::write(
        dir.join("input.csv"),
        seed::input_csv(people - new, new, people / 10, structures),
    )?;
    println!(
        "{} and {} written",
        dir.join("seed.json").display(),
        dir.join("input.csv").display()
    );
    Ok(())
}
