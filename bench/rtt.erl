%% SPDX-License-Identifier: ISC
%% @doc Round trip of nook:getpid/1 at depth 0, 1 and 2 against a plain port echo program
%% sent the same number of bytes, measured in the same run. Each figure is the median of
%% Repeats runs, each run itself the median of Calls round trips.
-module(rtt).

-export([main/1]).

main([Echo, CallsS, RepeatsS]) ->
    Calls = list_to_integer(CallsS),
    Repeats = list_to_integer(RepeatsS),
    {ok, Root} = nook:fork(),
    {ok, D1} = nook:fork(Root),
    {ok, D2} = nook:fork(D1),
    Tasks = [{0, Root}, {1, D1}, {2, D2}],
    %% Same payload size as getpid's request at depth 1 (a forward header plus the call).
    Payload = iolist_to_binary(nook_codec:call([nook:pidof(D1)], 1, nook_calls:id(getpid), [])),
    Port = open_port({spawn_executable, Echo}, [{packet, 4}, binary]),
    Rows = [{"port_echo_rtt", median([median(echo(Port, Payload, Calls)) || _ <- lists:seq(1, Repeats)])}
            | [{"getpid_rtt_depth" ++ integer_to_list(D),
                median([median(getpid(T, Calls)) || _ <- lists:seq(1, Repeats)])}
               || {D, T} <- Tasks]],
    {_, Base} = hd(Rows),
    io:format("# median of ~b runs of ~b round trips; payload ~b bytes~n",
              [Repeats, Calls, byte_size(Payload)]),
    [io:format("~s ~.1f us ~.2f~n", [Name, V / 1000, V / Base]) || {Name, V} <- Rows],
    nook:stop(Root),
    port_close(Port),
    ok.

getpid(Task, N) ->
    [begin
         T0 = erlang:monotonic_time(nanosecond),
         _ = nook:getpid(Task),
         erlang:monotonic_time(nanosecond) - T0
     end || _ <- lists:seq(1, N)].

echo(Port, Payload, N) ->
    [begin
         T0 = erlang:monotonic_time(nanosecond),
         true = port_command(Port, Payload),
         receive {Port, {data, _}} -> ok end,
         erlang:monotonic_time(nanosecond) - T0
     end || _ <- lists:seq(1, N)].

median(L) -> lists:nth((length(L) + 1) div 2, lists:sort(L)).
