%% SPDX-License-Identifier: ISC
%% @doc The wire format between nook_port and priv/nook, as pure functions (no I/O).
%%
%% Frames carry a 32-bit length (added by the port's `{packet, 4}' at the outer level).
%% Downward a request for pipeline [A, B] is FORWARD(A){FORWARD(B){CALL}}; upward each hop
%% wraps what it relays in FROM_CHILD(Pid), so the pids collected while unwrapping are the
%% pipeline of the task the frame is about.
-module(nook_codec).

-export([call/4, stdin/2, decode/1, frame_max/0]).

-export_type([message/0]).

-type message() ::
    {reply, ReqId :: non_neg_integer(), result | raise, term()}
    | {event, term()}
    | {stdout, binary()}
    | {stderr, binary()}
    | {hello, term()}.

%% @doc The largest frame body a channel takes (c_src/protocol.def).
-spec frame_max() -> pos_integer().
frame_max() -> nook_protocol:frame_max().

%% @doc The port command that runs call `CallId' with `Args' in the process at `Pipeline'.
-spec call([nook:pid_t()], non_neg_integer(), non_neg_integer(), [term()]) -> iodata().
call(Pipeline, ReqId, CallId, Args) ->
    Call = [<<(nook_protocol:down(call)), ReqId:32, CallId:16>>,
            term_to_binary(list_to_tuple(Args))],
    route(Pipeline, Call).

%% @doc The port command that writes `Data' to the stdin of the process at `Pipeline'; its
%% parent does the writing.
-spec stdin([nook:pid_t(), ...], iodata()) -> iodata().
stdin(Pipeline, Data) ->
    {Parent, [Pid]} = lists:split(length(Pipeline) - 1, Pipeline),
    route(Parent, [<<(nook_protocol:down(stdin)), Pid:32>>, Data]).

route([], Frame) ->
    Frame;
route([Pid | Rest], Frame) ->
    Inner = route(Rest, Frame),
    [<<(nook_protocol:down(forward)), Pid:32, (iolist_size(Inner)):32>>, Inner].

%% @doc One frame from the port (its outer length already removed).
-spec decode(binary()) -> {ok, [nook:pid_t()], message()} | {error, {badframe, binary()}}.
decode(Frame) ->
    try
        decode(Frame, [])
    catch
        error:_ -> {error, {badframe, Frame}}
    end.

decode(<<Type, Body/binary>>, Acc) ->
    decode(nook_protocol:up(Type), Body, Acc).

decode(from_child, <<Pid:32, Len:32, Inner:Len/binary>>, Acc) ->
    decode(Inner, [Pid | Acc]);
decode(reply, <<ReqId:32, Status, Term/binary>>, Acc) ->
    {ok, lists:reverse(Acc), {reply, ReqId, known(nook_protocol:reply_status(Status)),
                              binary_to_term(Term)}};
decode(event, Term, Acc) ->
    {ok, lists:reverse(Acc), {event, binary_to_term(Term)}};
decode(child_event, <<Pid:32, Term/binary>>, Acc) ->
    {ok, lists:reverse([Pid | Acc]), {event, binary_to_term(Term)}};
decode(stdout, <<Pid:32, Data/binary>>, Acc) ->
    {ok, lists:reverse([Pid | Acc]), {stdout, Data}};
decode(stderr, <<Pid:32, Data/binary>>, Acc) ->
    {ok, lists:reverse([Pid | Acc]), {stderr, Data}};
decode(hello, Term, []) ->
    {ok, [], {hello, binary_to_term(Term)}}.

%% A number the protocol has no name for makes the frame a bad one.
known(undefined) -> erlang:error(badarg);
known(Name) -> Name.
