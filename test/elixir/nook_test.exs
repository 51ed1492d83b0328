# SPDX-License-Identifier: ISC
defmodule NookTest do
  use ExUnit.Case, async: true
  import ExUnit.CaptureIO

  doctest Nook

  describe "cmd/2" do
    test "stderr goes to the BEAM's standard error unless merged" do
      assert capture_io(:stderr, fn ->
               assert Nook.cmd("echo out; echo err >&2") == {"out\n", 0}
             end) == "err\n"
    end

    test "into any Collectable" do
      assert {%MapSet{} = set, 0} = Nook.cmd("echo a", into: MapSet.new())
      assert MapSet.to_list(set) == ["a\n"]
    end

    test "env removes a variable with nil, clearenv starts from nothing" do
      assert {"unset\n", 0} = Nook.cmd("echo ${HOME-unset}", env: [{"HOME", nil}])
      assert {env, 0} = Nook.cmd(["/usr/bin/env"], clearenv: true, env: %{"ONLY" => "1"})

      assert env |> String.split("\n", trim: true) |> Enum.reject(&String.starts_with?(&1, "PWD=")) ==
               ["ONLY=1"]
    end

    test "a start that fails raises Nook.Error with nook's reason" do
      error = assert_raise Nook.Error, fn -> Nook.cmd("true", cd: "/nonexistent") end
      assert error.reason == {:cd, "/nonexistent", :enoent}
      assert Exception.message(error) =~ "cannot change directory to /nonexistent"
    end

    test "an option no one takes raises ArgumentError before anything starts" do
      assert_raise ArgumentError, ~r/invalid option: {:timout, 10}/, fn ->
        Nook.cmd("true", timout: 10)
      end

      assert_raise ArgumentError, ~r/invalid option: {:env/, fn ->
        Nook.cmd("true", env: [{"A=B", "c"}])
      end

      assert_raise ArgumentError, ~r/invalid :env option: \[:a\]/, fn ->
        Nook.cmd("true", env: [:a])
      end

      # :into is cmd's: a stream has no use for it, and says so
      assert_raise ArgumentError, ~r/invalid option: {:into, \[\]}/, fn ->
        Nook.stream!("true", into: []) |> Enum.to_list()
      end
    end

    test "max_output: output past it is dropped, or the program killed" do
      assert {"yyyy", 0} = Nook.cmd("printf yyyyyyyy", max_output: 4)
      assert {"", {:exit, :max_output}} = Nook.cmd("yes", max_output: 0, on_max_output: :kill)
    end

    test "a sandbox that is not one, or options that are no keyword list, raise ArgumentError" do
      assert_raise ArgumentError, ~r/invalid :sandbox option: :jail/, fn ->
        Nook.cmd("true", sandbox: :jail)
      end

      assert_raise ArgumentError, fn -> Nook.cmd("true", %{cd: "/"}) end
    end

    test "the sandbox is the rootless container asked for" do
      assert {"nook\n65534\n", 0} = Nook.cmd("hostname; id -u", sandbox: :rootless)
      assert {"box\n", 0} = Nook.cmd("hostname", sandbox: :rootless, hostname: "box")
    end

    test "without input, the program reads end of file" do
      assert {"0\n", 0} = Nook.cmd("wc -c")
      assert ["0\n"] = Nook.stream!(["wc", "-c"], sandbox: :rootless) |> Enum.to_list()
    end

    test "input larger than a pipe is fed as the program reads it" do
      chunk = String.duplicate("x", 65_536)
      input = Stream.repeatedly(fn -> chunk end) |> Stream.take(64)
      assert {"4194304\n", 0} = Nook.cmd("wc -c", input: input)
    end
  end

  describe "stream!/2" do
    test "halting the stream kills the program and all it started" do
      mark = "#{System.unique_integer([:positive])}"
      parent = self()

      ["x" <> _] =
        Nook.stream!("yes x & yes x", env: %{"NOOK_ELIXIR_MARK" => mark})
        |> Stream.each(fn _ -> send(parent, {:running, marked("NOOK_ELIXIR_MARK=" <> mark)}) end)
        |> Enum.take(1)

      # /proc shows them while the stream runs: the check below could fail
      assert_received {:running, [_, _ | _]}
      assert marked("NOOK_ELIXIR_MARK=" <> mark) == []
    end

    test "a consumer that stops reading stops the program's reads" do
      stream = Nook.stream!("yes", sandbox: :rootless)
      reducer = fn x, _ -> {:suspend, x} end
      {:suspended, _, continuation} = Enumerable.reduce(stream, {:suspend, nil}, reducer)
      # Nothing is consumed for a while: the program blocks on its full pipe, and what was
      # read ahead is bounded by the stream's window.
      Process.sleep(300)
      {:memory, before} = Process.info(self(), :memory)
      {:message_queue_len, queued} = Process.info(self(), :message_queue_len)
      Process.sleep(300)
      {:memory, later} = Process.info(self(), :memory)
      assert later - before < 1_000_000
      assert queued == 0
      continuation.({:halt, nil})
    end

    test "input from an Enumerable while the output streams" do
      lines = Stream.map(1..20_000, &"#{&1}\n")
      out = Nook.stream!("cat", input: lines) |> Enum.join()
      assert out == Enum.join(lines)
    end

    test "the ending raises for a non-zero status, after the output" do
      parent = self()

      assert_raise Nook.Error, ~r/was killed by sigterm/, fn ->
        Nook.stream!("echo last; kill $$") |> Enum.each(&send(parent, {:got, &1}))
      end

      assert_received {:got, "last\n"}
    end
  end

  defp marked(marker) do
    for pid <- File.ls!("/proc"),
        pid =~ ~r/^\d+$/,
        {:ok, env} <- [File.read("/proc/#{pid}/environ")],
        marker in String.split(env, <<0>>),
        do: pid
  end
end
