# SPDX-License-Identifier: ISC
defmodule NookClient do
  @moduledoc """
  Streams a command's events from nook as an Elixir `Stream`: output is read from the
  program only as the stream is consumed.
  """

  @doc "A lazy stream of `{:stdout, bin}`, `{:stderr, bin}` and exit events of `cmd`."
  def stream!(cmd, behaviour \\ :nook_rootless, config \\ []) do
    Stream.resource(
      fn ->
        {:ok, s} = :nook_stream.open(cmd, behaviour, config)
        s
      end,
      fn s ->
        case :nook_stream.recv(s, :infinity) do
          {:ok, events} -> {events, s}
          :eof -> {:halt, s}
        end
      end,
      &:nook_stream.close/1
    )
  end

  @doc "Runs `cmd` with `input` piped to its stdin; its events, in order."
  def pipe!(input, cmd, behaviour \\ :nook_rootless, config \\ []) do
    {:ok, s} = :nook_stream.open(cmd, behaviour, config)

    try do
      Enum.each(input, fn chunk -> :ok = :nook_stream.send(s, chunk) end)
      :ok = :nook_stream.eof(s)
      drain(s, [])
    after
      :nook_stream.close(s)
    end
  end

  defp drain(s, acc) do
    case :nook_stream.recv(s, :infinity) do
      {:ok, events} -> drain(s, [events | acc])
      :eof -> acc |> Enum.reverse() |> Enum.concat()
    end
  end
end
