%% SPDX-License-Identifier: ISC
%% @doc Stdout throughput: `head -c N /dev/zero' read to the end through nook_stream (its
%% default behaviour and flow control, the consumer asking as fast as it can) against a plain
%% port running the same command line, from start to exit status.
-module(bench_stdout).

-export([run/1]).

%% How long the producer may say nothing before the run is given up: a guard.
-define(QUIET_MS, 60000).

-spec run(map()) -> [bench:row()].
run(#{repeats := Repeats}) ->
    Bytes = bench:env("STDOUT_BYTES", 500000000),
    Cmd = "head -c " ++ integer_to_list(Bytes) ++ " /dev/zero",
    Rate = fun(Read) ->
                   fun() ->
                           Us = bench:elapsed_us(fun() -> Bytes = Read(Cmd) end),
                           Bytes / Us
                   end
           end,
    Runs = bench:fold_interleaved(Repeats, [{"stdout_plain_port", Rate(fun plain/1)},
                                            {"stdout_nook_stream", Rate(fun stream/1)}], #{}),
    bench:note("stdout: ~s, MB/s (10^6 bytes), median of ~b; nook_stream with its default "
               "flow control against a plain port", [Cmd, Repeats]),
    [#{name => "stdout_plain_port", value => bench:median(maps:get("stdout_plain_port", Runs)),
       unit => "MB/s"},
     #{name => "stdout_nook_stream", value => bench:median(maps:get("stdout_nook_stream", Runs)),
       unit => "MB/s", baseline => "stdout_plain_port"}].

plain(Cmd) ->
    Port = open_port({spawn, Cmd}, [binary, stream, exit_status, in]),
    plain_loop(Port, 0).

plain_loop(Port, N) ->
    receive
        {Port, {data, B}} -> plain_loop(Port, N + byte_size(B));
        {Port, {exit_status, 0}} -> N
    after ?QUIET_MS ->
            catch port_close(Port),
            erlang:error({plain_port, {silent_ms, ?QUIET_MS}, N})
    end.

stream(Cmd) ->
    {ok, S} = nook_stream:open(Cmd, nook_process, []),
    try stream_loop(S, 0)
    after nook_stream:close(S)
    end.

stream_loop(S, N) ->
    case nook_stream:recv(S, ?QUIET_MS) of
        {error, timeout} ->
            erlang:error({nook_stream, {silent_ms, ?QUIET_MS}, N});
        {ok, Events} ->
            stream_loop(S, lists:foldl(fun({stdout, B}, Acc) -> Acc + byte_size(B);
                                          ({exit_status, 0}, Acc) -> Acc
                                       end, N, Events));
        eof ->
            N
    end.
