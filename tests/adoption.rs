//! The README's adoption walkthrough is true: every file it shows is written
//! and every command it shows is run, in order, in an empty directory, and
//! the output (standard output, then standard error) and the exit code are
//! the ones printed (the README rule table is kept fresh the same way).

mod common;

/// One step of the walkthrough.
#[derive(Debug)]
enum Step {
    /// `<!-- file: NAME -->` and the fenced block after it.
    File { name: String, text: String },
    /// `$ clawcheck ARGS   # exit N` and the lines after it.
    Run {
        args: Vec<String>,
        code: i32,
        output: String,
    },
}

fn walkthrough() -> Vec<Step> {
    let readme = std::fs::read_to_string(common::repo("README.md")).unwrap();
    let start = readme
        .find("<!-- walkthrough:start -->")
        .expect("start marker");
    let end = readme.find("<!-- walkthrough:end -->").expect("end marker");
    let mut lines = readme[start..end].lines();
    let mut steps = Vec::new();
    let mut file: Option<String> = None;
    while let Some(line) = lines.next() {
        if let Some(name) = line
            .strip_prefix("<!-- file: ")
            .and_then(|l| l.strip_suffix(" -->"))
        {
            file = Some(name.to_string());
        } else if line == "```console" {
            let mut run: Option<(Vec<String>, i32, Vec<&str>)> = None;
            for l in lines.by_ref().take_while(|l| *l != "```") {
                if let Some(cmd) = l.strip_prefix("$ ") {
                    if let Some((args, code, out)) = run.take() {
                        steps.push(run_step(args, code, &out));
                    }
                    let (cmd, code) = cmd
                        .split_once("# exit ")
                        .expect("`# exit N` after the command");
                    let mut words = cmd.split_whitespace().map(String::from);
                    assert_eq!(words.next().as_deref(), Some("clawcheck"), "{cmd}");
                    run = Some((words.collect(), code.trim().parse().unwrap(), Vec::new()));
                } else {
                    run.as_mut().expect("output after a command").2.push(l);
                }
            }
            if let Some((args, code, out)) = run.take() {
                steps.push(run_step(args, code, &out));
            }
        } else if line.starts_with("```") {
            if let Some(name) = file.take() {
                let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
                steps.push(Step::File {
                    name,
                    text: body.join("\n") + "\n",
                });
            }
        }
    }
    steps
}

fn run_step(args: Vec<String>, code: i32, out: &[&str]) -> Step {
    let mut output = out.join("\n");
    if !output.is_empty() {
        output.push('\n');
    }
    Step::Run { args, code, output }
}

#[test]
fn the_readme_walkthrough_shows_real_commands_and_their_real_output() {
    let steps = walkthrough();
    let runs = steps
        .iter()
        .filter(|s| matches!(s, Step::Run { .. }))
        .count();
    assert!(runs >= 8, "the walkthrough has its commands: {steps:?}");
    for needed in ["baseline", "OC007", "owner = ", "fixed: "] {
        let all = format!("{steps:?}");
        assert!(all.contains(needed), "the walkthrough shows {needed}");
    }
    let dir = tempfile::tempdir().unwrap();
    // `UPDATE_README=1`: write the real output into the README (then review the diff).
    let update = std::env::var_os("UPDATE_README").is_some();
    let mut readme = std::fs::read_to_string(common::repo("README.md")).unwrap();
    let mut cursor = readme
        .find("<!-- walkthrough:start -->")
        .expect("start marker");
    for step in &steps {
        match step {
            Step::File { name, text } => std::fs::write(dir.path().join(name), text).unwrap(),
            Step::Run { args, code, output } => {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let o = common::clawcheck_env(&args, dir.path(), &[("GITHUB_STEP_SUMMARY", "")]);
                let got = common::stdout(&o) + &common::stderr(&o);
                if update && !output.is_empty() {
                    let at = cursor
                        + readme[cursor..]
                            .find(output.as_str())
                            .expect("output in README");
                    readme.replace_range(at..at + output.len(), &got);
                    cursor = at + got.len();
                    std::fs::write(common::repo("README.md"), &readme).unwrap();
                    continue;
                }
                assert_eq!(
                    got,
                    *output,
                    "README walkthrough: `clawcheck {}` prints something else",
                    args.join(" ")
                );
                assert_eq!(o.status.code(), Some(*code), "clawcheck {}", args.join(" "));
            }
        }
    }
}
