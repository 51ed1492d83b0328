%% SPDX-License-Identifier: ISC
%% @doc Bad input written straight to priv/nook: each gets an error reply and the port goes
%% on serving, or, where the framing itself is lost, a clean exit with a status of its own.
-module(nook_badinput_SUITE).

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, init_per_testcase/2, end_per_testcase/2]).
-export([unknown_call/1, wrong_arity/1, wrong_argument_types/1, not_a_term/1,
         term_with_pid/1, truncated_term/1, short_call/1, empty_frame/1, unknown_frame_type/1,
         forward_to_unknown_child/1, forward_with_bad_length/1, stdin_to_unknown_child/1,
         oversized_length/1, truncated_frame_then_eof/1, random_bytes/1,
         oversized_frame_through_nook_port/1, call_table_mismatch/1,
         type_error_wins_over_unknown_constant/1]).

all() ->
    [unknown_call, wrong_arity, wrong_argument_types, not_a_term, term_with_pid,
     truncated_term, short_call, empty_frame, unknown_frame_type, forward_to_unknown_child,
     forward_with_bad_length, stdin_to_unknown_child, oversized_length,
     truncated_frame_then_eof, random_bytes, oversized_frame_through_nook_port,
     call_table_mismatch, type_error_wins_over_unknown_constant].

init_per_testcase(_Case, Config) ->
    process_flag(trap_exit, true),
    Config.

end_per_testcase(_Case, _Config) ->
    ok.

%% ---- a raw port, framed by us ----

open_raw() ->
    Port = open_port({spawn_executable, nook_port:progname()},
                     [{packet, 4}, binary, exit_status, use_stdio]),
    {ok, [], {hello, {nook, _, _}}} = nook_codec:decode(recv(Port)),
    Port.

recv(Port) ->
    receive
        {Port, {data, Frame}} -> Frame;
        {Port, {exit_status, S}} -> {exit_status, S}
    after 5000 -> ct:fail(no_answer)
    end.

%% A CALL frame body with our own id, call id and argument bytes.
call_body(ReqId, CallId, ArgBytes) ->
    <<1, ReqId:32, CallId:16, ArgBytes/binary>>.

call(Port, ReqId, Call, Args) ->
    port_command(Port, call_body(ReqId, nook_calls:id(Call), term_to_binary(list_to_tuple(Args)))),
    decoded(Port).

decoded(Port) ->
    {ok, Pipeline, Msg} = nook_codec:decode(recv(Port)),
    {Pipeline, Msg}.

%% The port still answers a well-formed call.
serving(Port) ->
    {[], {reply, 4242, result, Pid}} = call(Port, 4242, getpid, []),
    ?assert(is_integer(Pid)).

%% ---- recoverable: an error reply, and serving after ----

unknown_call(_Config) ->
    Port = open_raw(),
    port_command(Port, call_body(1, 16#ffff, term_to_binary({}))),
    ?assertEqual({[], {reply, 1, raise, undef}}, decoded(Port)),
    serving(Port).

wrong_arity(_Config) ->
    Port = open_raw(),
    port_command(Port, call_body(2, nook_calls:id(getpid), term_to_binary({1}))),
    ?assertEqual({[], {reply, 2, raise, badarg}}, decoded(Port)),
    port_command(Port, call_body(3, nook_calls:id(chdir), term_to_binary({}))),
    ?assertEqual({[], {reply, 3, raise, badarg}}, decoded(Port)),
    serving(Port).

wrong_argument_types(_Config) ->
    Port = open_raw(),
    Bad = [{chdir, [123]}, {chdir, [[<<"a">>, 300]]}, {chdir, [<<"a", 0, "b">>]},
           {kill, ["123", 9]}, {kill, [1, 1.5]}, {open, [<<"/">>, {o_rdonly}, 0]},
           {execvp, [<<"/bin/true">>, <<"notalist">>]}, {setopt, [<<"maxchild">>, 1]},
           {read, [0, -1]}, {exit, [256]}, {sigaction, [sigusr1, bogus]},
           {getpid, []}],
    Replies = [call(Port, 10, Call, Args) || {Call, Args} <- Bad],
    ?assertEqual(lists:duplicate(length(Bad) - 1, {[], {reply, 10, raise, badarg}}),
                 lists:droplast(Replies)),
    ?assertMatch({[], {reply, 10, result, Pid}} when is_integer(Pid), lists:last(Replies)).

%% One order for every call: every argument is decoded; a wrong type or a value out of range
%% anywhere raises badarg, and only then does an unknown name answer {error, enotsup}.
type_error_wins_over_unknown_constant(_Config) ->
    Port = open_raw(),
    Cases = [{{kill, [notapid, signosuch]}, raise, badarg},
             {{kill, [0, 1 bsl 40]}, raise, badarg},
             {{kill, [0, signosuch]}, result, {error, enotsup}},
             {{socket, [af_nowhere, sock_stream, <<"tcp">>]}, raise, badarg},
             {{socket, [af_nowhere, [sock_wobbly, 1.5], 0]}, raise, badarg},
             {{socket, [af_nowhere, sock_stream, 0]}, result, {error, enotsup}},
             {{mount, [<<"a">>, <<"b">>, <<"c">>, [ms_nosuch], 42]}, raise, badarg},
             {{mount, [<<"a">>, <<"b">>, <<"c">>, [ms_nosuch], <<>>]}, result, {error, enotsup}},
             {{getpriority, [prio_nosuch, -1]}, raise, badarg},
             {{setrlimit, [rlimit_nosuch, #{cur => 1, most => 2}]}, raise, badarg},
             {{setrlimit, [rlimit_nosuch, #{cur => 1}]}, result, {error, enotsup}},
             {{prctl, [pr_no_such_option, 0, 0, 0, 1.5]}, raise, badarg},
             {{prctl, [pr_no_such_option, 0, 0, 0, 0]}, result, {error, enotsup}},
             {{umount2, [<<"/x">>, [mnt_nosuch]]}, result, {error, enotsup}},
             {{setresuid, [-2, 0, 0]}, raise, badarg},
             {{chown, [<<"/x">>, 0, 1 bsl 32]}, raise, badarg}],
    [?assertEqual({Call, {[], {reply, 11, Kind, Term}}}, {Call, call(Port, 11, Name, Args)})
     || {{Name, Args} = Call, Kind, Term} <- Cases],
    serving(Port).

not_a_term(_Config) ->
    Port = open_raw(),
    port_command(Port, call_body(4, nook_calls:id(getpid), <<"not erlang">>)),
    ?assertEqual({[], {reply, 4, raise, badarg}}, decoded(Port)),
    serving(Port).

term_with_pid(_Config) ->
    Port = open_raw(),
    port_command(Port, call_body(5, nook_calls:id(chdir), term_to_binary({self()}))),
    ?assertEqual({[], {reply, 5, raise, badarg}}, decoded(Port)),
    serving(Port).

truncated_term(_Config) ->
    Port = open_raw(),
    Full = term_to_binary({<<"/tmp/some/long/path">>}),
    [begin
         port_command(Port, call_body(N, nook_calls:id(chdir), binary:part(Full, 0, N))),
         ?assertEqual({[], {reply, N, raise, badarg}}, decoded(Port))
     end || N <- lists:seq(0, byte_size(Full) - 1)],
    serving(Port).

short_call(_Config) ->
    Port = open_raw(),
    port_command(Port, <<1, 0, 0>>),
    ?assertEqual({[], {event, {protocol_error, short_call}}}, decoded(Port)),
    serving(Port).

empty_frame(_Config) ->
    Port = open_raw(),
    port_command(Port, <<>>),
    ?assertEqual({[], {event, {protocol_error, empty_frame}}}, decoded(Port)),
    serving(Port).

unknown_frame_type(_Config) ->
    Port = open_raw(),
    port_command(Port, <<77, "whatever">>),
    ?assertEqual({[], {event, {protocol_error, unknown_frame_type}}}, decoded(Port)),
    serving(Port).

forward_to_unknown_child(_Config) ->
    Port = open_raw(),
    Inner = call_body(6, nook_calls:id(getpid), term_to_binary({})),
    port_command(Port, [<<2, 999999:32, (byte_size(Inner)):32>>, Inner]),
    ?assertEqual({[999999], {event, badpid}}, decoded(Port)),
    serving(Port).

forward_with_bad_length(_Config) ->
    Port = open_raw(),
    Inner = call_body(7, nook_calls:id(getpid), term_to_binary({})),
    port_command(Port, [<<2, 1:32, (byte_size(Inner) + 9):32>>, Inner]),
    ?assertEqual({[], {event, {protocol_error, bad_forward}}}, decoded(Port)),
    port_command(Port, <<2, 1, 2>>),
    ?assertEqual({[], {event, {protocol_error, bad_forward}}}, decoded(Port)),
    serving(Port).

stdin_to_unknown_child(_Config) ->
    Port = open_raw(),
    port_command(Port, <<3, 999999:32, "data">>),
    ?assertEqual({[999999], {event, badpid}}, decoded(Port)),
    port_command(Port, <<3, 1>>),
    ?assertEqual({[], {event, {protocol_error, bad_stdin}}}, decoded(Port)),
    serving(Port).

%% ---- unrecoverable framing: a clean exit with a status of its own ----

%% Run priv/nook with Input as its whole stdin; its exit status.
run_with_input(Config, Input) ->
    File = filename:join(?config(priv_dir, Config), "input"),
    ok = file:write_file(File, Input),
    Port = open_port({spawn_executable, "/bin/sh"},
                     [{args, ["-c", "exec \"$0\" < \"$1\"", nook_port:progname(), File]},
                      binary, exit_status]),
    exit_status(Port).

exit_status(Port) ->
    receive
        {Port, {exit_status, S}} -> S;
        {Port, {data, _}} -> exit_status(Port)
    after 10000 -> ct:fail(no_exit)
    end.

oversized_length(Config) ->
    %% A frame over the limit is read and dropped: its caller gets badarg and the port goes on.
    Port = open_raw(),
    Max = nook_codec:frame_max(),
    port_command(Port, [call_body(8, nook_calls:id(getpid), <<>>), binary:copy(<<0>>, Max)]),
    ?assertEqual({[], {reply, 8, raise, badarg}}, decoded(Port)),
    port_command(Port, binary:copy(<<16#ff>>, Max + 1)),
    ?assertEqual({[], {event, {protocol_error, frame_too_large}}}, decoded(Port)),
    serving(Port),
    %% Input that ends inside such a frame: a clean exit that says so.
    ?assertEqual(frame_too_large,
                 nook_port:exit_reason(run_with_input(Config, <<16#7fffffff:32, 1, 2, 3>>))).

truncated_frame_then_eof(Config) ->
    Call = call_body(1, nook_calls:id(getpid), term_to_binary({})),
    Frame = <<(byte_size(Call)):32, Call/binary>>,
    ?assertEqual(frame_truncated,
                 nook_port:exit_reason(run_with_input(Config, binary:part(Frame, 0, 7)))),
    ?assertEqual(frame_truncated, nook_port:exit_reason(run_with_input(Config, <<0, 0>>))),
    %% A whole frame then EOF is an ordinary end.
    ?assertEqual(0, run_with_input(Config, Frame)).

random_bytes(Config) ->
    %% Random bytes and then EOF: whatever they are, priv/nook ends with an ordinary or a
    %% framing status, never a crash.
    rand:seed(exsss, {1, 2, 3}),
    Statuses = [run_with_input(Config, rand:bytes(rand:uniform(300))) || _ <- lists:seq(1, 30)],
    ct:pal("exit statuses: ~p", [lists:usort(Statuses)]),
    ?assertEqual([], [S || S <- Statuses, not lists:member(S, [0, 90, 91])]),
    %% Random bodies in well-formed frames: each is answered or reported, and the port
    %% serves the next call.
    Port = open_raw(),
    [begin
         port_command(Port, rand:bytes(rand:uniform(300))),
         {ok, _, _} = nook_codec:decode(recv(Port))
     end || _ <- lists:seq(1, 200)],
    serving(Port).

oversized_frame_through_nook_port(_Config) ->
    %% The library refuses to send a frame over the limit; a raw one sent behind its back is
    %% dropped by priv/nook, and the tree serves on.
    {ok, Root} = nook:fork(),
    ?assertError(badarg, nook:write(Root, 1, binary:copy(<<0>>, nook_codec:frame_max()))),
    OsPid = nook:pidof(Root),
    [Port] = [P || P <- erlang:ports(), erlang:port_info(P, os_pid) =:= {os_pid, OsPid}],
    true = port_command(Port, binary:copy(<<0>>, nook_codec:frame_max() + 1)),
    ?assertEqual(OsPid, nook:getpid(Root)),
    ok = nook:stop(Root).

call_table_mismatch(Config) ->
    %% A binary built from another calls.def is refused with a clear error.
    Fake = filename:join(?config(priv_dir, Config), "fake-nook"),
    ok = file:write_file(Fake, fake_nook()),
    ok = file:change_mode(Fake, 8#755),
    ?assertMatch({error, {call_table_mismatch, #{binary_hash := 1}}},
                 nook_task:start_root([{progname, Fake}])).

fake_nook() ->
    Hello = term_to_binary({nook, <<"0.0.0">>, 1}),
    Frame = <<(byte_size(Hello) + 1):32, 7, Hello/binary>>,
    Escaped = lists:flatten([io_lib:format("\\~3.8.0b", [B]) || <<B>> <= Frame]),
    "#!/bin/sh\nprintf '" ++ Escaped ++ "'\nexec cat >/dev/null\n".
