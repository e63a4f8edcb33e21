//! The `faultline` binary: parses arguments, then runs a CLI command or the app.

use std::process::ExitCode;

use clap::Parser;
use faultline::cli::{self, Cli, Command};

fn main() -> ExitCode {
    let args = Cli::parse();
    match args.command {
        Some(Command::Summary { file, json, input }) => cli::summary(file.as_deref(), json, &input),
        Some(Command::Convert {
            input,
            out,
            input_args,
        }) => cli::convert(input.as_deref(), &out, &input_args),
        None => {
            eprintln!(
                "error: the desktop app is not built yet; use `faultline summary [FILE]` or `faultline convert [INPUT] --out OUT.json`"
            );
            ExitCode::from(cli::EXIT_FAILURE)
        }
    }
}
