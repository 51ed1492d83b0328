# SPDX-License-Identifier: ISC
defmodule Nook.DaemonTest do
  use ExUnit.Case, async: false
  import ExUnit.CaptureLog

  doctest Nook.Daemon

  test "output goes to Logger line by line, with the command as prefix" do
    log =
      capture_log(fn ->
        {:ok, pid} = Nook.Daemon.start_link("printf 'one\\ntw'; printf 'o\\n'; echo err >&2")
        ref = Process.monitor(pid)
        assert_receive {:DOWN, ^ref, :process, ^pid, :normal}, 10_000
      end)

    assert log =~ "printf 'one\\ntw'; printf 'o\\n'; echo err >&2: one"
    assert log =~ ": two"
    assert log =~ ": err"
  end

  test "a program that ends is restarted by its supervisor" do
    counter = Path.join(System.tmp_dir!(), "nook-daemon-#{System.unique_integer([:positive])}")
    File.write!(counter, "")
    cmd = "echo run >> #{counter}; sleep 0.2; exit 1"

    capture_log(fn ->
      {:ok, sup} =
        Supervisor.start_link([{Nook.Daemon, [cmd, log_output: false]}],
          strategy: :one_for_one,
          max_restarts: 10
        )

      wait_until(fn -> File.read!(counter) |> String.split() |> length() >= 3 end)
      Supervisor.stop(sup)
    end)

    File.rm!(counter)
  end

  test "stopping the supervisor kills the program and what it started" do
    mark = "#{System.unique_integer([:positive])}"
    child = {Nook.Daemon, ["sleep 1000 & sleep 1000", env: %{"NOOK_DAEMON_MARK" => mark}]}
    {:ok, sup} = Supervisor.start_link([child], strategy: :one_for_one)
    wait_until(fn -> length(marked(mark)) >= 2 end)
    :ok = Supervisor.stop(sup)
    assert marked(mark) == []
  end

  test "the exit reason says how the program ended" do
    Process.flag(:trap_exit, true)

    capture_log(fn ->
      {:ok, pid} = Nook.Daemon.start_link("exit 7", log_output: false)
      assert_receive {:EXIT, ^pid, {:exit_status, 7}}, 10_000
    end)
  end

  test "output past max_output is dropped and the program runs on to its end" do
    Process.flag(:trap_exit, true)

    log =
      capture_log(fn ->
        {:ok, pid} = Nook.Daemon.start_link("echo first; echo second; sleep 0.2; exit 3", max_output: 6)
        assert_receive {:EXIT, ^pid, {:exit_status, 3}}, 10_000
      end)

    assert log =~ ": first"
    refute log =~ ": second"
  end

  defp wait_until(fun, tries \\ 200) do
    cond do
      fun.() ->
        :ok

      tries == 0 ->
        flunk("condition never held")

      true ->
        Process.sleep(50)
        wait_until(fun, tries - 1)
    end
  end

  defp marked(mark) do
    want = "NOOK_DAEMON_MARK=" <> mark

    for pid <- File.ls!("/proc"),
        pid =~ ~r/^\d+$/,
        {:ok, env} <- [File.read("/proc/#{pid}/environ")],
        want in String.split(env, <<0>>),
        do: pid
  end
end
