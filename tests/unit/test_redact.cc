#include <catch2/catch.hpp>

#include "core/present/redact.h"

using namespace nsdebug;
using Words = std::vector<std::string>;

TEST_CASE("redact: secret-looking names match in any case") {
  for (const char* n : {"DB_PASSWORD", "password", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN",
                        "api_key", "GOOGLE_APPLICATION_CREDENTIALS", "BASIC_AUTH", "PRIVATE_PEM"})
    CHECK(is_secret_name(n));
  for (const char* n : {"PATH", "HOME", "APP_MODE", "NGINX_VERSION", "HOSTNAME"})
    CHECK_FALSE(is_secret_name(n));
}

TEST_CASE("redact: env values of secret keys are masked, others kept") {
  CHECK(redact_env_entry("DB_PASSWORD=s3cr3t") == "DB_PASSWORD=***");
  CHECK(redact_env_entry("db_token=abc=def") == "db_token=***");
  CHECK(redact_env_entry("APP_MODE=production") == "APP_MODE=production");
  CHECK(redact_env_entry("EMPTY=") == "EMPTY=");
}

TEST_CASE("redact: URL credentials are masked in any value, user and host kept") {
  CHECK(redact_env_entry("DATABASE_URL=postgres://app:hunter2@db:5432/x") ==
        "DATABASE_URL=postgres://app:***@db:5432/x");
  CHECK(mask_url_credentials("a http://u:p@h/ b https://v:q@i c") ==
        "a http://u:***@h/ b https://v:***@i c");
  CHECK(mask_url_credentials("redis://:pw@cache") == "redis://:***@cache");
  CHECK(mask_url_credentials("http://host/path?x=a:b@c") == "http://host/path?x=a:b@c");
  CHECK(mask_url_credentials("http://user@host") == "http://user@host");
  CHECK(mask_url_credentials("no url: here://") == "no url: here://");
}

TEST_CASE("redact: argv masks --password=x, --token x and KEY=VALUE words") {
  CHECK(redact_argv({"app", "--password=x", "--port=80"}) == Words{"app", "--password=***", "--port=80"});
  CHECK(redact_argv({"app", "--token", "abc", "-v"}) == Words{"app", "--token", "***", "-v"});
  CHECK(redact_argv({"app", "--api-key", "--verbose"}) == Words{"app", "--api-key", "--verbose"});
  CHECK(redact_argv({"env", "DB_PASSWORD=x", "HOME=/"}) == Words{"env", "DB_PASSWORD=***", "HOME=/"});
  CHECK(redact_argv({"psql", "postgres://a:b@h/d"}) == Words{"psql", "postgres://a:***@h/d"});
  CHECK(redact_argv({"/usr/bin/keyring", "x"}) == Words{"/usr/bin/keyring", "x"});
  CHECK(redact_argv({"nginx: master process /usr/sbin/nginx"}) ==
        Words{"nginx: master process /usr/sbin/nginx"});
  CHECK(redact_argv({}).empty());
}

TEST_CASE("argv_may_hold_secret is false only where redaction changes nothing") {
  using V = std::vector<std::string>;
  for (const V& argv : {V{"nginx: master process"}, V{"sleep", "3600"}, V{}, V{"/pause"},
                        V{"spawner", "10", "--", "bench.sh", "--inner", "-v"},
                        V{"app", "--port=80", "-c", "conf", "FOO=bar", "my-token=x", "a=b=c"}}) {
    CHECK_FALSE(nsdebug::argv_may_hold_secret(nsdebug::Argv(argv)));
    CHECK(nsdebug::redact_argv(nsdebug::Argv(argv)) == argv);
  }
  CHECK(nsdebug::argv_may_hold_secret({"app", "--password=x"}));
  CHECK(nsdebug::argv_may_hold_secret({"psql", "postgres://u:p@db/x"}));
  CHECK(nsdebug::argv_may_hold_secret({"env", "TOKEN=abc"}));
  CHECK(nsdebug::argv_may_hold_secret({"app", "--token", "abc"}));
  CHECK(nsdebug::argv_may_hold_secret({"app", "-v", "--api-key=abc"}));
}

TEST_CASE("redact: a title written over argv gets argv's rules word by word") {
  // exec -a, or setproctitle copying the command line into argv[0]: one word with spaces.
  CHECK(redact_argv({"app --password=hunter2 --port=80"}) ==
        Words{"app --password=*** --port=80"});
  CHECK(redact_argv({"worker: sync --token abc  -v", "x"}) ==
        Words{"worker: sync --token ***  -v", "x"});
  CHECK(redact_argv({"postgres: app db 10.0.0.1(5432) idle"}) ==
        Words{"postgres: app db 10.0.0.1(5432) idle"});
  CHECK(nsdebug::argv_may_hold_secret({"app --password=hunter2"}));
  CHECK(nsdebug::argv_may_hold_secret({"env DB_TOKEN=x"}));
  CHECK_FALSE(nsdebug::argv_may_hold_secret({"postgres: app db idle"}));
}

TEST_CASE("redact: the forms issue 10 found unmasked, and what must stay as it is") {
  struct Case {
    Words argv, want;
  };
  // The rule: an option, assignment or header name holding PASSWORD, PASSWD, PASSPHRASE,
  // SECRET, TOKEN, KEY, CREDENTIAL, AUTH or PRIVATE, or whose last word is PASS, has its value
  // masked; mysql/mariadb's glued -pX; a URL's password (user and host kept).
  auto c = GENERATE(values<Case>({
      {{"app", "--passwd", "hunter2"}, {"app", "--passwd", "***"}},
      {{"app", "--passwd=hunter2"}, {"app", "--passwd=***"}},
      {{"app", "--db-pass=hunter2"}, {"app", "--db-pass=***"}},
      {{"app", "--db_pass", "hunter2"}, {"app", "--db_pass", "***"}},
      {{"env", "REDIS_PASS=x"}, {"env", "REDIS_PASS=***"}},
      {{"mysql", "-uroot", "-phunter2", "db"}, {"mysql", "-uroot", "-p***", "db"}},
      {{"/usr/bin/mysqldump", "-psecret"}, {"/usr/bin/mysqldump", "-p***"}},
      {{"mariadb", "-p", "shop"}, {"mariadb", "-p", "shop"}},  // bare -p prompts; shop is the db
      {{"curl", "-H", "Authorization: Bearer abc.def"}, {"curl", "-H", "Authorization: Bearer ***"}},
      {{"curl", "-H", "authorization: Basic dXNlcjpw"}, {"curl", "-H", "authorization: Basic ***"}},
      {{"curl", "-H", "Authorization:token123"}, {"curl", "-H", "Authorization:***"}},
      {{"curl", "--header=Authorization: Bearer x"}, {"curl", "--header=Authorization: Bearer ***"}},
      {{"curl", "-H", "X-Api-Key: abc"}, {"curl", "-H", "X-Api-Key: ***"}},
      {{"curl -H Authorization: Bearer abc http://h/"}, {"curl -H Authorization: Bearer *** http://h/"}},
      {{"app", "mongodb://app:pa/ss@db:27017/x"}, {"app", "mongodb://app:***@db:27017/x"}},
      {{"app", "amqp://guest:guest@rabbit:5672/"}, {"app", "amqp://guest:***@rabbit:5672/"}},
      {{"app", "https://u:p@h/path@x"}, {"app", "https://u:***@h/path@x"}},
      // must stay
      {{"app", "-p", "8080"}, {"app", "-p", "8080"}},
      {{"nc", "-p8080"}, {"nc", "-p8080"}},
      {{"app", "--pass-through", "x"}, {"app", "--pass-through", "x"}},
      {{"app", "--bypass", "x"}, {"app", "--bypass", "x"}},
      {{"docker", "run", "keycloak:21.0"}, {"docker", "run", "keycloak:21.0"}},
      {{"npm", "i", "https://reg:8080/@scope/pkg"}, {"npm", "i", "https://reg:8080/@scope/pkg"}},
      {{"env", "PWD=/home/x", "COMPASS_DIR=/a"}, {"env", "PWD=/home/x", "COMPASS_DIR=/a"}},
      {{"sh", "-c", "Note: fine"}, {"sh", "-c", "Note: fine"}},
  }));
  INFO(c.argv.front() << " " << (c.argv.size() > 1 ? c.argv[1] : ""));
  CHECK(redact_argv(Argv(c.argv)) == c.want);
  // The fast path never skips what redact_argv would change (and never throws: a word with
  // a ':' and no '=' once read past its end).
  bool may = argv_may_hold_secret(Argv(c.argv));
  if (c.want != c.argv) CHECK(may);
}

TEST_CASE("redact: header values in the environment") {
  CHECK(redact_env_entry("CURL_HEADER=Authorization: Bearer x") ==
        "CURL_HEADER=Authorization: Bearer ***");
  CHECK(redact_env_entry("DB_PASS=x") == "DB_PASS=***");
  CHECK(redact_env_entry("PASS_THROUGH=1") == "PASS_THROUGH=1");
}
