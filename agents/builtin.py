"""The five built-in roles of the crew.

Each carries its offline craft (`offline_rules`) and the tools it calls from
its module in `filmcrew.agents.craft`, as a custom role carries its own.
"""

from __future__ import annotations

from filmcrew.agents.craft import audience, cinematographer, editor, screenwriter, sound_designer
from filmcrew.agents.role import RoleSpec
from filmcrew.memory.models import (
    Analysis,
    ClipSet,
    Critique,
    DetailedStoryboard,
    EditDecisionList,
    ExportReport,
    IntraShotSoundPlan,
    MixReport,
    Review,
    RoughCutPlan,
    SceneBlocks,
    SceneSoundPlan,
    Script,
    ShotPlan,
    ShotSoundPlan,
    SimplifiedStoryboard,
    Synopsis,
)

__all__ = ["SCREENWRITER", "CINEMATOGRAPHER", "AUDIENCE", "EDITOR", "SOUND_DESIGNER", "BUILTIN_ROLES"]

SCREENWRITER = RoleSpec(
    name="screenwriter",
    description="Structures the brief into a screenplay of scene blocks; checks the shot plan against each block's narrative objective.",
    prompt="screenwriter",
    # The four-step chain (synopsis -> simplified storyboard -> detailed storyboard -> scene
    # blocks), one task per step; structure_script is the whole chain in one turn.
    outputs={"write_synopsis": Synopsis, "write_storyboard": SimplifiedStoryboard, "write_shots": DetailedStoryboard,
             "write_scene_blocks": SceneBlocks, "structure_script": Script, "check_shot_plan": Critique},
    tools=screenwriter.TOOLS,
    offline_rules=screenwriter.RULES,
)

CINEMATOGRAPHER = RoleSpec(
    name="cinematographer",
    description="Designs the camera language of each scene block from retrieved film references and generates the clips.",
    prompt="cinematographer",
    outputs={"plan_camera": ShotPlan, "generate_clips": ClipSet},
    tools=cinematographer.TOOLS,
    offline_rules=cinematographer.RULES,
)

AUDIENCE = RoleSpec(
    name="audience",
    description="A simulated viewer of the target archetype who watches the rough cut and critiques it; never edits.",
    prompt="audience",
    outputs={"review_cut": Review},
    tools=audience.TOOLS,
    offline_rules=audience.RULES,
)

EDITOR = RoleSpec(
    name="editor",
    description="Assembles the rough cut, analyses the audience review, makes the fine cut with timeline edits, and exports.",
    prompt="editor",
    outputs={"assemble_rough_cut": RoughCutPlan, "analyze_review": Analysis, "fine_cut": EditDecisionList, "export": ExportReport},
    tools=editor.TOOLS,
    offline_rules=editor.RULES,
)

SOUND_DESIGNER = RoleSpec(
    name="sound_designer",
    description="Designs ambience, score, voice and effects at scene, shot and intra-shot scale, then mixes to loudness targets.",
    prompt="sound_designer",
    outputs={"design_scene_sound": SceneSoundPlan, "design_shot_sound": ShotSoundPlan,
             "design_intra_shot_sound": IntraShotSoundPlan, "mix": MixReport},
    tools=sound_designer.TOOLS,
    offline_rules=sound_designer.RULES,
)

BUILTIN_ROLES = (SCREENWRITER, CINEMATOGRAPHER, AUDIENCE, EDITOR, SOUND_DESIGNER)
