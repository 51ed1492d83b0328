%% SPDX-License-Identifier: ISC
%% @doc The documentation users read in the shell: the doc chunks the build writes beside
%% ebin (`h(nook)' in erl, `h :nook.fork' in iex), a module doc and prose for every exported
%% function of the public modules. A behaviour callback of OTP's may be hidden (@private).
-module(nook_docs_SUITE).

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, suite/0]).
-export([chunks_found/1, every_function_has_prose/1, shell_shows_docs/1, checks_can_fail/1]).

%% What users call. The rest (nook_port, nook_task, nook_codec, nook_calls, nook_filter,
%% nook_registry, the supervisors) is how nook works inside.
-define(PUBLIC, [nook, nook_stream, nook_behaviour, nook_process, nook_rootless,
                 nook_container, nook_seccomp, nook_landlock, nook_notify, nook_op, nook_app]).

suite() -> [{timetrap, {seconds, 60}}].

all() -> [chunks_found, every_function_has_prose, shell_shows_docs, checks_can_fail].

chunks_found(_Config) ->
    %% beside ebin, where iex looks too: AppDir/doc/chunks
    AppDir = filename:dirname(filename:dirname(code:which(nook))),
    [?assert(filelib:is_regular(filename:join([AppDir, "doc", "chunks",
                                              atom_to_list(M) ++ ".chunk"])))
     || M <- ?PUBLIC],
    [?assertMatch({ok, {docs_v1, _, erlang, <<"application/erlang+html">>, _, _, _}},
                  code:get_doc(M)) || M <- ?PUBLIC].

every_function_has_prose(_Config) ->
    ?assertEqual([], lists:append([undocumented(M) || M <- ?PUBLIC])).

shell_shows_docs(_Config) ->
    %% What `h(nook_stream, run)' prints in erl.
    {ok, Docs} = code:get_doc(nook_stream),
    Text = unicode:characters_to_binary(shell_docs:render(nook_stream, run, Docs)),
    ?assertMatch({_, _}, binary:match(Text, <<"collect its events">>)).

%% The check finds what is missing: a module of this suite, whose functions have no prose.
checks_can_fail(_Config) ->
    Fake = {docs_v1, 0, erlang, <<"application/erlang+html">>, #{<<"en">> => [<<"m">>]}, #{},
            [{{function, f, 0}, 0, [<<"f()">>], none, #{}},
             {{function, g, 1}, 0, [<<"g(X)">>], #{<<"en">> => []}, #{}},
             {{function, h, 0}, 0, [<<"h()">>], #{<<"en">> => [{p, [], [<<"Does h.">>]}]}, #{}},
             {{function, init, 1}, 0, [<<"init(A)">>], hidden, #{}},
             {{function, k, 0}, 0, [<<"k()">>], hidden, #{}}]},
    ?assertEqual([{fake, f, 0}, {fake, g, 1}, {fake, k, 0}, {fake, missing, 0}],
                 missing(fake, Fake, [{f, 0}, {g, 1}, {h, 0}, {init, 1}, {k, 0}, {missing, 0}],
                         [{init, 1}])).

%% ---- helpers ----

undocumented(Mod) ->
    {ok, Docs} = code:get_doc(Mod),
    Exports = [FA || {F, _} = FA <- Mod:module_info(exports), F =/= module_info,
                     F =/= behaviour_info],
    missing(Mod, Docs, Exports, otp_callbacks(Mod)).

missing(Mod, {docs_v1, _, _, _, ModDoc, _, Entries}, Exports, Callbacks) ->
    [{Mod, module_doc} || not prose(ModDoc)]
        ++ [{Mod, F, A} || {F, A} <- Exports,
                           not documented(lists:keyfind({function, F, A}, 1, Entries),
                                          lists:member({F, A}, Callbacks))].

documented({_, _, _, Doc, _}, IsCallback) ->
    prose(Doc) orelse (IsCallback andalso Doc =:= hidden);
documented(false, _) ->
    false.

prose(#{<<"en">> := Doc}) -> Doc =/= [] andalso Doc =/= <<>>;
prose(_) -> false.

%% The callbacks a module implements for OTP's behaviours, which need no doc of their own.
otp_callbacks(Mod) ->
    Behaviours = lists:append([B || {behaviour, B} <- Mod:module_info(attributes)]),
    lists:append([B:behaviour_info(callbacks) ++ optional(B)
                  || B <- Behaviours, lists:member(B, [gen_server, gen_statem, supervisor,
                                                       application])]).

optional(B) ->
    try B:behaviour_info(optional_callbacks) catch error:_ -> [] end.
