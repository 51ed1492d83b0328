# SPDX-License-Identifier: ISC
defmodule NookClientTest do
  use ExUnit.Case

  @root Path.join(System.tmp_dir!(), "nook-elixir-root-#{System.get_env("USER", "u")}")

  setup_all do
    :ok = :nook_rootless.make_root(String.to_charlist(@root))
    [config: [path: String.to_charlist(@root)]]
  end

  defp stdout(events), do: for({:stdout, bin} <- events, into: "", do: bin)

  test "a rootless command streams through Stream.resource/3", %{config: config} do
    events = NookClient.stream!("id -u; hostname; echo $$", :nook_rootless, config) |> Enum.to_list()
    assert List.last(events) == {:exit_status, 0}
    # uid 65534 inside, its own hostname, and the shell is not pid 1: init is nook's
    assert ["65534", "nook", pid] = events |> stdout() |> String.split("\n", trim: true)
    assert String.to_integer(pid) > 1
  end

  test "stdin is piped to the program", %{config: config} do
    events = NookClient.pipe!(["hello ", "from ", "elixir\n"], "tr a-z A-Z", :nook_rootless, config)
    assert stdout(events) == "HELLO FROM ELIXIR\n"
    assert List.last(events) == {:exit_status, 0}
  end

  test "taking part of a stream ends the program", %{config: config} do
    lines = NookClient.stream!("yes nook", :nook_rootless, config) |> Enum.take(3)
    assert length(lines) == 3
    assert {:stdout, "nook\n" <> _} = hd(lines)
  end
end
