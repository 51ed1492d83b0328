%% SPDX-License-Identifier: ISC
%% @doc The wire format as pure functions: no port, no system call.
-module(nook_codec_SUITE).

-include_lib("stdlib/include/assert.hrl").

-export([all/0]).
-export([call_at_root/1, call_routed_down/1, stdin_goes_to_parent/1, replies_and_events/1,
         relayed_frames_build_the_pipeline/1, malformed_frames/1, call_table/1]).

all() ->
    [call_at_root, call_routed_down, stdin_goes_to_parent, replies_and_events,
     relayed_frames_build_the_pipeline, malformed_frames, call_table].

call_at_root(_Config) ->
    Args = term_to_binary({<<"/tmp">>}),
    ?assertEqual(<<1, 7:32, 3:16, Args/binary>>,
                 iolist_to_binary(nook_codec:call([], 7, 3, [<<"/tmp">>]))).

call_routed_down(_Config) ->
    %% FORWARD(A){FORWARD(B){CALL}}: each hop's frame carries the whole inner frame's length.
    Call = <<1, 1:32, 0:16, (term_to_binary({}))/binary>>,
    Inner = <<2, 200:32, (byte_size(Call)):32, Call/binary>>,
    ?assertEqual(<<2, 100:32, (byte_size(Inner)):32, Inner/binary>>,
                 iolist_to_binary(nook_codec:call([100, 200], 1, 0, []))).

stdin_goes_to_parent(_Config) ->
    ?assertEqual(<<3, 100:32, "data">>, iolist_to_binary(nook_codec:stdin([100], <<"data">>))),
    Stdin = <<3, 200:32, "x">>,
    ?assertEqual(<<2, 100:32, (byte_size(Stdin)):32, Stdin/binary>>,
                 iolist_to_binary(nook_codec:stdin([100, 200], [$x]))).

replies_and_events(_Config) ->
    T = term_to_binary({ok, 5}),
    ?assertEqual({ok, [], {reply, 9, result, {ok, 5}}}, nook_codec:decode(<<1, 9:32, 0, T/binary>>)),
    ?assertEqual({ok, [], {reply, 9, raise, badarg}},
                 nook_codec:decode(<<1, 9:32, 1, (term_to_binary(badarg))/binary>>)),
    ?assertEqual({ok, [], {event, {signal, sigusr1, <<>>}}},
                 nook_codec:decode(<<2, (term_to_binary({signal, sigusr1, <<>>}))/binary>>)),
    ?assertEqual({ok, [42], {event, {exit_status, 0}}},
                 nook_codec:decode(<<4, 42:32, (term_to_binary({exit_status, 0}))/binary>>)),
    ?assertEqual({ok, [42], {stdout, <<"hi">>}}, nook_codec:decode(<<5, 42:32, "hi">>)),
    ?assertEqual({ok, [42], {stderr, <<"oops">>}}, nook_codec:decode(<<6, 42:32, "oops">>)),
    ?assertEqual({ok, [], {hello, {nook, <<"1">>, 3}}},
                 nook_codec:decode(<<7, (term_to_binary({nook, <<"1">>, 3}))/binary>>)).

relayed_frames_build_the_pipeline(_Config) ->
    Out = <<5, 3:32, "deep">>,
    L2 = <<3, 2:32, (byte_size(Out)):32, Out/binary>>,
    L1 = <<3, 1:32, (byte_size(L2)):32, L2/binary>>,
    ?assertEqual({ok, [1, 2, 3], {stdout, <<"deep">>}}, nook_codec:decode(L1)),
    Reply = <<1, 5:32, 0, (term_to_binary(ok))/binary>>,
    ?assertEqual({ok, [7], {reply, 5, result, ok}},
                 nook_codec:decode(<<3, 7:32, (byte_size(Reply)):32, Reply/binary>>)).

malformed_frames(_Config) ->
    Bad = [<<>>, <<9>>, <<1, 0, 0>>, <<1, 1:32, 2, "x">>, <<1, 1:32, 0, "not a term">>,
           <<3, 1:32, 100:32, "short">>, <<4, 1:32>>, <<7, 1, 2>>,
           %% a hello from below the root is not a hello
           <<3, 1:32, 6:32, 7, (term_to_binary(x))/binary>>],
    [?assertMatch({error, {badframe, _}}, nook_codec:decode(B)) || B <- Bad].

call_table(_Config) ->
    %% Every call of c_src/calls.def has its function in nook, taking the task first.
    {module, nook} = code:ensure_loaded(nook),
    ?assertEqual([], [{Name, Arity + 1} || {Name, Arity} <- nook_calls:all(),
                                          not erlang:function_exported(nook, Name, Arity + 1)]),
    %% and nook_op sends as they are only the calls whose function hands them on unchanged
    ?assertEqual([], [Name || {Name, _} <- nook_calls:all(), nook_calls:plain(Name),
                              lists:member(Name, [batch, eof, filter, getcpid, setcpid,
                                                  stdin_write, stop, seccomp_compile])]).
