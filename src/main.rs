//! The `faultline` binary: parses arguments, then runs a CLI command or the app.

use std::process::ExitCode;

use clap::Parser;
use faultline::cli::{self, Cli, Command};

fn main() -> ExitCode {
    faultline::ui::mark_launch();
    faultline::crash::install_hook();
    let args = Cli::parse();
    let code = run(args);
    if std::env::var_os("FAULTLINE_REPORT_PEAK_MEMORY").is_some() {
        cli::report_peak_memory();
    }
    code
}

fn run(args: Cli) -> ExitCode {
    match args.command {
        Some(Command::Summary { files, json, input }) => cli::summary(&files, json, &input),
        Some(Command::Export(args)) => cli::export(&args),
        Some(Command::Brief(args)) => cli::brief(&args),
        Some(Command::Convert {
            inputs,
            out,
            input_args,
        }) => cli::convert(&inputs, &out, &input_args),
        None => match faultline::ui::run(args.files) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot open the app window: {e}");
                ExitCode::from(cli::EXIT_FAILURE)
            }
        },
    }
}
