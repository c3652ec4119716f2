// Every command's options, parsed by the app main() builds: an option takes one value per use,
// so a word after it stays a positional. `kill -n PATTERN 1` once read 1 as a second pattern
// and selected every process whose command line held a 1.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "tools/command.h"

using nsdebug::cli::Context;

namespace {

// The real app with every callback taken away: parsing only, nothing runs.
// Thrown once parsing is complete, before node mode would enter a namespace and before any
// subcommand runs. (Clearing the subcommands' callbacks instead freed the options they own
// while CLI11 still wrote into them: ASan saw it.)
struct Parsed {};

std::unique_ptr<CLI::App> parse_only_app(Context& ctx) {
  auto app = std::make_unique<CLI::App>("nsdebug", "nsdebug");
  nsdebug::cli::build_app(*app, ctx);
  app->parse_complete_callback([] { throw Parsed{}; });
  return app;
}

void parse(CLI::App& app, int argc, const char* const* argv) {
  try {
    app.parse(argc, argv);
  } catch (const Parsed&) {
  }
}

std::string spelling(const CLI::Option& opt) {
  if (!opt.get_snames().empty()) return "-" + opt.get_snames().front();
  return "--" + opt.get_lnames().front();
}

// Flags and --help take no value.
bool is_flag(const CLI::Option& opt) {
  return opt.get_type_size() == 0 || opt.get_items_expected_max() == 0 ||
         opt.get_name() == "--help";
}

struct Case {
  std::string command, option;
  std::vector<std::string> values;  // given to the option, one use each
  std::vector<std::string> words;   // the positionals after it
};

// Parses "nsdebug COMMAND (OPTION VALUE)... WORD..." and checks where everything landed.
void check(const Case& c) {
  INFO("nsdebug " << c.command << " " << c.option << " ... " << c.words.size() << " words");
  Context ctx;
  auto app = parse_only_app(ctx);
  std::vector<std::string> args{"nsdebug", c.command};
  for (const auto& v : c.values) args.insert(args.end(), {c.option, v});
  args.insert(args.end(), c.words.begin(), c.words.end());
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  REQUIRE_NOTHROW(parse(*app, static_cast<int>(argv.size()), argv.data()));
  CLI::App* sub = app->get_subcommand(c.command);
  CHECK(sub->get_option(c.option)->results() == c.values);
  std::vector<std::string> positional;
  for (const CLI::Option* opt : sub->get_options())
    if (opt->get_positional())
      positional.insert(positional.end(), opt->results().begin(), opt->results().end());
  CHECK(positional == c.words);
}

// One word for each positional a command takes, enough for its required ones.
std::vector<std::string> words_for(const CLI::App& sub) {
  std::vector<std::string> words;
  for (const CLI::Option* opt : sub.get_options())
    if (opt->get_positional())
      for (int i = 0; i < std::max(1, opt->get_items_expected_min()); ++i)
        words.push_back("word" + std::to_string(words.size() + 1));
  return words;
}

}  // namespace

TEST_CASE("every option of every command takes one value: the positional after it stays one") {
  Context probe_ctx;
  auto probe = parse_only_app(probe_ctx);
  int checked = 0;
  for (CLI::App* sub : probe->get_subcommands([](CLI::App*) { return true; })) {
    auto words = words_for(*sub);
    for (const CLI::Option* opt : sub->get_options()) {
      if (opt->get_positional() || is_flag(*opt)) continue;
      // "1": a valid value for every option (numbers, names, columns, patterns).
      check({sub->get_name(), spelling(*opt), {"1"}, words});
      ++checked;
    }
  }
  CHECK(checked >= 8);  // ps -o --sort -c -u, kill -s -n -c --timeout, tail -n, tar -f
}

TEST_CASE("an option given twice keeps both values when it collects several") {
  Context probe_ctx;
  auto probe = parse_only_app(probe_ctx);
  int checked = 0;
  for (CLI::App* sub : probe->get_subcommands([](CLI::App*) { return true; })) {
    for (const CLI::Option* opt : sub->get_options()) {
      if (opt->get_positional() || is_flag(*opt) || opt->get_items_expected_max() <= 1) continue;
      check({sub->get_name(), spelling(*opt), {"1", "2"}, words_for(*sub)});
      ++checked;
    }
  }
  CHECK(checked >= 5);  // ps -o -c -u, kill -n -c
}

TEST_CASE("the README's examples parse as written") {
  check({"ps", "-u", {"nginx"}, {"worker"}});
  check({"kill", "-n", {"zzznomatch"}, {"1"}});
  check({"kill", "-c", {"nginx"}, {"7"}});
  check({"ps", "-o", {"pid"}, {"nginx"}});
}

TEST_CASE("main builds only the subcommands its arguments name, and all of them otherwise") {
  auto built = [](std::vector<const char*> args) {
    Context ctx;
    CLI::App app("nsdebug", "nsdebug");
    nsdebug::cli::build_app_for(app, ctx, args);
    std::vector<std::string> names;
    for (const auto* sub : app.get_subcommands({})) names.push_back(sub->get_name());
    return names;
  };
  CHECK(built({"ps", "-o", "pid"}) == std::vector<std::string>{"ps"});
  // A command's name given as a value: one more subcommand, and parsing still works.
  CHECK(built({"--pod", "cat", "ps"}) == std::vector<std::string>{"ps", "cat"});
  auto all = nsdebug::cli::command_table().size();
  CHECK(built({}).size() == all);
  CHECK(built({"--help"}).size() == all);
  CHECK(built({"pss"}).size() == all);  // a typo: the error lists every command
  // (Parsing "--pod cat ps" here would mean replacing node mode's parse-complete callback,
  // which owns --pod's storage: the e2e tests run every command line through main.)
}
