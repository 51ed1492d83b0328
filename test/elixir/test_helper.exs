# SPDX-License-Identifier: ISC
# The root project's ExUnit tests (mix test, as bin/test runs them: as the unprivileged user).
# Cases tagged :fresh build new projects that depend on this tree; `mix test --exclude fresh`
# leaves them out.
ExUnit.start()
